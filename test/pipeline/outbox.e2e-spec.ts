import { QueueName, QueueRegistry } from '@heimdex/queue';
import { CuttableProxy } from '../helpers/cuttable-proxy';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, freePort, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

describe('transactional outbox: a Redis outage delays the pipeline, it never loses it', () => {
  let stack: TestStack;
  let proxy: CuttableProxy;

  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    proxy = new CuttableProxy(await freePort(), { host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.up();
    stack = await startTestStack({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  });
  afterAll(async () => {
    await proxy.up().catch(() => undefined);
    await stack.close();
    await proxy.down();
  });

  it('complete succeeds while Redis is down; the job reaches BullMQ once Redis is back', async () => {
    const client = new VideosClient(stack.baseUrl, await hsToken());
    const created = await client.create(media.video(1));
    expect((await client.put(created, media.video(1))).status).toBe(200);

    await proxy.down();
    const res = await client.complete(created.video.id).expect(202);
    expect(res.body.video.state).toBe('validating');
    const pending = await eventually(async () => {
      const rows = await sql<{ dispatched_at: Date | null; attempts: number; last_error: string | null }>(
        stack.db.url,
        "select dispatched_at, attempts, last_error from outbox_messages where payload->>'videoId' = $1",
        [created.video.id],
      );
      return rows[0]?.attempts > 0 ? rows[0] : undefined;
    });
    expect(pending.dispatched_at).toBeNull();
    expect(pending.last_error).toBeTruthy();

    await proxy.up();
    const queue = stack.api.get(QueueRegistry).get(QueueName.Media);
    const job = await eventually(async () => (await queue.getJob(`upload_validate.${created.video.id}.1`)) ?? undefined, 60_000);
    expect(job.data).toEqual({ videoId: created.video.id, run: 1 });
    const [row] = await sql<{ dispatched_at: Date | null }>(stack.db.url, "select dispatched_at from outbox_messages where payload->>'videoId' = $1", [
      created.video.id,
    ]);
    expect(row.dispatched_at).not.toBeNull();
  });
});
