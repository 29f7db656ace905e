import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

interface Created {
  video: { id: string };
  upload: { url: string; headers: Record<string, string> };
}

/** Abuse of the HTTP layer: deep and large bodies, slow clients, upload slots, byte ranges. */
describe('request limits', () => {
  let stack: TestStack;
  let userId: string;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_BODY_RATE_WINDOW_S: '2',
        HTTP_BODY_MIN_BYTES_PER_S: '256',
        UPLOADS_PER_USER_MAX: '2',
        RATE_LIMIT_STORAGE_PER_IP: '60',
      },
    });
    userId = randomUUID();
    token = await hsToken({ sub: userId });
  });
  afterAll(() => stack.close());

  const create = async (sizeBytes = 1_000_000): Promise<Created> =>
    (await request(stack.baseUrl).post('/v1/videos').set(bearer(token)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes }).expect(201))
      .body as Created;

  /** A PUT that sends `first` and then keeps its body open until `end` is called. */
  function heldPut(created: Created, first: Buffer): { req: ClientRequest; status: Promise<number> } {
    const url = new URL(created.upload.url);
    const req = httpRequest(url, { method: 'PUT', headers: { ...created.upload.headers, 'Content-Length': '1000000' } });
    const status = new Promise<number>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
    });
    req.write(first);
    return { req, status };
  }

  /** Resolves when the server closes the socket (or after `maxMs`, with false). */
  function closedWithin(socketOwner: { once(ev: 'close', fn: () => void): unknown }, maxMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), maxMs);
      socketOwner.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  it('a deeply nested JSON body is a fast 400, on every JSON route', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    for (const path of ['/v1/people', '/v1/videos']) {
      const res = await request(stack.baseUrl).post(path).set(bearer(token)).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(res.body.message).toMatch(/nested too deeply/);
    }
    const arrays = '['.repeat(40) + ']'.repeat(40);
    await request(stack.baseUrl).patch(`/v1/videos/${randomUUID()}`).set(bearer(token)).set('Content-Type', 'application/json').send(arrays).expect(400);
  });

  it('a JSON body over the limit is 413', async () => {
    const res = await request(stack.baseUrl)
      .post('/v1/people')
      .set(bearer(token))
      .send({ name: 'x'.repeat(100 * 1024) })
      .expect(413);
    expect(res.body.message).toMatch(/too large/);
  });

  it('a request without a token is refused before its body is parsed', async () => {
    await request(stack.baseUrl).post('/v1/people').set('Content-Type', 'application/json').send('[[[[[[ not json').expect(401);
  });

  it('a client that never finishes its headers is disconnected', async () => {
    const socket = connect(Number(new URL(stack.baseUrl).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(await closedWithin(socket, 20_000)).toBe(true);
    socket.destroy();
  });

  it('an upload that trickles its body is cut off and stores nothing', async () => {
    const created = await create();
    const { req, status } = heldPut(created, Buffer.from('x'));
    const timer = setInterval(() => req.write('x'), 1000);
    const [closed] = await Promise.all([closedWithin(req, 20_000), status]);
    clearInterval(timer);
    expect(closed).toBe(true);
    const key = `videos/${userId}/${created.video.id}/source`;
    expect(await stack.api.get<ObjectStorage>(OBJECT_STORAGE).stat(key)).toBeNull();
  });

  it('one upload per URL at a time (409) and a few per user (429)', async () => {
    const [a, b, c] = [await create(), await create(), await create()];
    const chunk = Buffer.alloc(4096, 1);
    const first = heldPut(a, chunk);
    const second = heldPut(b, chunk);
    const keepAlive = setInterval(() => {
      first.req.write(chunk);
      second.req.write(chunk);
    }, 200);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const again = await fetch(a.upload.url, { method: 'PUT', headers: a.upload.headers, body: Buffer.alloc(10) });
      expect(again.status).toBe(409);
      const third = await fetch(c.upload.url, { method: 'PUT', headers: c.upload.headers, body: Buffer.alloc(10) });
      expect(third.status).toBe(429);
    } finally {
      clearInterval(keepAlive);
      first.req.destroy();
      second.req.destroy();
    }
    await Promise.all([first.status, second.status]);
    // Slots are released when the uploads end.
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(c.upload.url, { method: 'PUT', headers: c.upload.headers, body: Buffer.alloc(10) })).status).toBe(200);
  });

  it('an upload URL stops working once the upload is completed', async () => {
    const body = Buffer.alloc(2048, 7);
    const created = await create(body.length);
    expect((await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body })).status).toBe(200);
    await request(stack.baseUrl).post(`/v1/videos/${created.video.id}/complete`).set(bearer(token)).expect(202);
    const swap = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: Buffer.alloc(2048, 9) });
    expect(swap.status).toBe(409);
    expect(((await swap.json()) as { message: string }).message).toMatch(/upload is closed/);
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    const stored = await storage.getStream(`videos/${userId}/${created.video.id}/source`);
    const chunks: Buffer[] = [];
    for await (const c of stored) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
  });

  it('a Range header with absurd numbers is 416, not a server error', async () => {
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    await storage.put('videos/range/test/source', Buffer.from('0123456789'), { contentType: 'video/mp4' });
    const get = await storage.presignGet('videos/range/test/source', { ttlS: 60 });
    const huge = '9'.repeat(300);
    for (const range of [`bytes=${huge}-`, `bytes=0-${huge}`, `bytes=${huge}-${huge}`]) {
      expect((await fetch(get.url, { headers: { Range: range } })).status).toBe(416);
    }
    const ok = await fetch(get.url, { headers: { Range: 'bytes=2-4' } });
    expect(ok.status).toBe(206);
    expect(await ok.text()).toBe('234');
  });

  it('/storage has its own rate limit per client address', async () => {
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    const get = await storage.presignGet('videos/range/test/source', { ttlS: 60 });
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await fetch(get.url, { method: 'HEAD' })).status);
    expect(statuses).toContain(429);
  });
});
