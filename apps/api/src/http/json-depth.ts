/**
 * Whether a JSON text nests arrays/objects deeper than `maxDepth`, by one pass over the bytes
 * (strings skipped, escapes honoured). Runs before JSON.parse, so a `[[[[…` body costs a scan of
 * at most the body limit instead of a parse and a recursive validation.
 */
export function jsonTooDeep(buf: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
