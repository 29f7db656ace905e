import { createHash, randomBytes } from 'node:crypto';
import fs, { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DownloadProgress, DownloadInterruptedError, downloadFile } from './hub-download';

/** A file server that honours Range and breaks the first full response off after `cutAt` bytes. */
function rangeServer(body: Buffer, cutAt: number): { server: Server; ranges: (string | undefined)[] } {
  const ranges: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    ranges.push(req.headers.range);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      const from = Number(m[1]);
      res.writeHead(206, { 'Content-Length': body.length - from, 'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}` });
      return res.end(body.subarray(from));
    }
    res.writeHead(200, { 'Content-Length': body.length });
    res.write(body.subarray(0, cutAt), () => setTimeout(() => res.destroy(), 50));
  });
  return { server, ranges };
}

describe('downloadFile (real HTTP)', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a fast disk', 0],
    // CI once resumed from fewer bytes than the file held: the error came before queued writes landed.
    ['a disk slower than the network', 30],
  ])('keeps what arrived when the body breaks off on %s, resumes from there and hashes the whole file', async (_disk, writeDelayMs) => {
    if (writeDelayMs) {
      const write = fs.write;
      jest.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
        setTimeout(() => (write as (...a: unknown[]) => void)(...args), writeDelayMs);
      }) as typeof fs.write);
    }
    const body = randomBytes(3 * 1024 * 1024);
    const { server, ranges } = rangeServer(body, 1024 * 1024);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.onnx`;
    const target = join(mkdtempSync(join(tmpdir(), 'heimdex-dl-')), 'model.onnx');
    const timeouts = { answerMs: 5000, idleMs: 5000 };
    try {
      await expect(downloadFile(url, target, timeouts)).rejects.toBeInstanceOf(DownloadInterruptedError);
      const partial = statSync(target).size;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(body.length);

      const progress: DownloadProgress[] = [];
      const got = await downloadFile(url, target, timeouts, (p) => progress.push(p));
      expect(ranges).toEqual([undefined, `bytes=${partial}-`]);
      expect(got.bytes).toBe(body.length);
      expect(got.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(readFileSync(target).equals(body)).toBe(true);
      expect(progress.at(-1)).toMatchObject({ bytes: body.length, total: body.length, resumedFrom: partial });
    } finally {
      server.close();
    }
  });
});
