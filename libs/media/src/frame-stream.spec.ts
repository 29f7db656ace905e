import { detailGrid, frameSignature } from './frame-signature';
import { decodeThreads, StreamedFrame } from './frame-stream';

function pixels(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[i] = s >> 23;
  }
  return data;
}

/** `bytes` cut into chunks of the given sizes, repeated (the last takes the rest). */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    out.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  return out;
}

describe('StreamedFrame', () => {
  it.each([
    ['chunks smaller than a row, the frame starting mid-chunk', [7, 50, 1, 333], 11],
    ['a pipe-sized chunk holding many rows', [65536], 0],
    ['one chunk holding the whole frame and more', [1 << 20], 5000],
  ])('reads every row, the whole frame and its signature as the packed frame does: %s', (_, sizes, lead) => {
    const [width, height] = [97, 61];
    const frame = pixels(width * height * 3, 3);
    const stream = Buffer.concat([pixels(lead, 9), frame, pixels(500, 4)]);
    const chunks = chunked(stream, sizes as number[]);
    let start = lead as number;
    let first = 0;
    while (start >= chunks[first].length) start -= chunks[first++].length;
    const streamed = new StreamedFrame(width, height, chunks.slice(first), start);

    for (const y of [0, 1, 30, 60, 2, 59]) {
      const { data, offset } = streamed.row(y);
      expect(Buffer.from(data.subarray(offset, offset + width * 3))).toEqual(frame.subarray(y * width * 3, (y + 1) * width * 3));
    }
    expect(streamed.toBuffer()).toEqual(frame);
    const packed = { data: frame, width, height };
    expect(frameSignature(streamed)).toEqual(frameSignature(packed));
    expect(detailGrid(streamed)).toEqual(detailGrid(packed));
  });
});

describe('decodeThreads', () => {
  it('is twice the cores, at least 4 and at most 16, the most ffmpeg picks by itself', () => {
    expect([1, 2, 3, 4, 8, 9, 64].map((cores) => decodeThreads(cores))).toEqual([4, 4, 6, 8, 16, 16, 16]);
  });
});
