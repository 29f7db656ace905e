import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (upload URLs are signed for PUBLIC_URL, so it is chosen before the config). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}
