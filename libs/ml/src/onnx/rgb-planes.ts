/** Packed 8-bit RGB (`pixels` of them) as the three float planes of an NCHW input, each value divided by `divisor`. */
export function rgbPlanes(data: Uint8Array, pixels: number, divisor = 1): Float32Array {
  const out = new Float32Array(3 * pixels);
  for (let i = 0; i < pixels; i++) for (let c = 0; c < 3; c++) out[c * pixels + i] = data[i * 3 + c] / divisor;
  return out;
}
