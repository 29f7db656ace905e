import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { pinoHttpOptions, safeUrl } from './logger.module';

describe('request log redaction', () => {
  it('never writes the dashboard ticket, its session cookie, tokens or signatures', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const options = pinoHttpOptions({ level: 'info', app: 'api' });
    const log = pinoHttp({ ...options, logger: pino({ level: 'info', redact: options.redact }, sink) });
    const server = createServer((req, res) => {
      log(req, res);
      res.setHeader('Set-Cookie', 'heimdex_board=SESSION-SECRET-123; HttpOnly');
      res.statusCode = 302;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      for (const path of ['/v1/admin/board/login?ticket=TICKET-SECRET-456', '/storage/b/k?X-Heimdex-Signature=SIG-SECRET-789&X-Heimdex-Expires=1']) {
        await fetch(`http://127.0.0.1:${port}${path}`, {
          redirect: 'manual',
          headers: { Authorization: 'Bearer TOKEN-SECRET', Cookie: 'heimdex_board=SESSION-SECRET-123' },
        });
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    const written = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(written).toContain('/v1/admin/board/login?[redacted]');
    for (const secret of ['TICKET-SECRET-456', 'SESSION-SECRET-123', 'SIG-SECRET-789', 'TOKEN-SECRET']) expect(written).not.toContain(secret);
  });
});

describe('safeUrl (request logs)', () => {
  it('keeps ordinary query strings', () => {
    expect(safeUrl('/v1/videos?limit=5')).toBe('/v1/videos?limit=5');
  });

  it('drops the query of presigned URLs and of single-use tickets', () => {
    expect(safeUrl('/storage/b/k?X-Heimdex-Signature=abc')).toBe('/storage/b/k?[redacted]');
    expect(safeUrl('/v1/videos/1/events?ticket=secret-ticket')).toBe('/v1/videos/1/events?[redacted]');
    expect(safeUrl('/v1/admin/board/login?x=1&ticket=secret')).toBe('/v1/admin/board/login?[redacted]');
  });
});
