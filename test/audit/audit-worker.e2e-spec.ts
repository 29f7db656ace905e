import { auditHash, ChainRow, GENESIS_HASH } from '@heimdex/audit';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { allSealed, auditRows } from '../helpers/audit';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const OLD_EVENTS = 25;

/** The worker's side of the trail: pipeline milestones as system events, and retention. */
describe('audit trail: worker milestones and retention', () => {
  let stack: TestStack;
  let admin: string;
  let ownerId: string;
  let owner: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        ASR_ENGINE: 'none',
        OCR_ENABLED: 'false',
        FACES_ENABLED: 'false',
        AUDIT_RETENTION_DAYS: '30',
        AUDIT_RETENTION_INTERVAL_S: '10',
        AUDIT_SEAL_INTERVAL_MS: '200',
      },
    });
    // Events from 40 days ago, chained before anything else happens: the oldest run of the chain.
    await sql(
      stack.db.url,
      `insert into audit_events (at, actor_id, actor_role, action, resource_type, resource_id, outcome, details)
       select now() - interval '40 days' + i * interval '1 minute', gen_random_uuid(), 'user', 'videos.update', 'videos', gen_random_uuid()::text, 'success',
              jsonb_build_object('n', i, 'path', '/v1/videos/x')
         from generate_series(1, ${OLD_EVENTS}) as i`,
    );
    await allSealed(stack.db.url);
    admin = await hsToken({ sub: randomUUID(), role: 'admin' });
    ownerId = randomUUID();
    owner = await hsToken({ sub: ownerId });
  });

  afterAll(() => stack.close());

  it('an indexed video and a failed one are recorded by the worker as system events', async () => {
    const client = new VideosClient(stack.baseUrl, owner);
    const good = await client.upload(media.video(3));
    const bad = await client.upload(media.corrupt());
    await client.indexed(good);
    await eventually(async () => ((await client.get(bad)).body.state === 'failed' ? true : undefined), 60_000);

    const [indexed] = await auditRows(stack.db.url, "action = 'videos.indexed' and resource_id = $1", [good]);
    expect(indexed).toMatchObject({ actor_id: null, actor_role: 'system', resource_type: 'videos', outcome: 'success' });
    expect(indexed.details).toMatchObject({ ownerId, run: 1 });
    const [failed] = await auditRows(stack.db.url, "action = 'videos.failed' and resource_id = $1", [bad]);
    expect(failed).toMatchObject({ actor_role: 'system', outcome: 'error' });
    expect(failed.details).toMatchObject({ ownerId, stage: 'upload_validate' });
    // Written in the transaction that changed the state: the video row and the event agree.
    const [video] = await sql<{ indexed_at: Date }>(stack.db.url, 'select indexed_at from videos where id = $1', [good]);
    expect(Math.abs(new Date(indexed.at).getTime() - new Date(video.indexed_at).getTime())).toBeLessThan(1000);
  });

  it('retention archives the expired run of the chain to storage with its checkpoint, removes it, and verify starts there', async () => {
    const [checkpoint] = await eventually(
      async () => {
        const rows = await sql<{ through_seq: string; hash: string; archive_key: string; events: number }>(
          stack.db.url,
          'select through_seq::text as through_seq, hash, archive_key, events from audit_checkpoints',
        );
        return rows.length ? rows : undefined;
      },
      60_000,
      500,
    );
    expect(checkpoint).toMatchObject({ through_seq: String(OLD_EVENTS), events: OLD_EVENTS });
    expect(checkpoint.archive_key).toBe(`audit/archive/${'1'.padStart(15, '0')}-${String(OLD_EVENTS).padStart(15, '0')}.ndjson`);
    expect(await auditRows(stack.db.url, "at < now() - interval '30 days'")).toEqual([]);

    // The archive verifies on its own: header, the events with exactly the hashed fields, the checkpoint.
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    const lines = (await readObject(storage, checkpoint.archive_key))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(OLD_EVENTS + 2);
    expect(lines[0]).toMatchObject({ kind: 'heimdex.audit.archive', fromSeq: '1', toSeq: String(OLD_EVENTS), prevHash: GENESIS_HASH });
    let prev = GENESIS_HASH;
    for (const event of lines.slice(1, -1)) {
      expect(event.prevHash).toBe(prev);
      expect(auditHash(event as unknown as ChainRow, prev)).toBe(event.hash);
      prev = event.hash;
    }
    expect(lines[lines.length - 1]).toEqual({ kind: 'checkpoint', throughSeq: String(OLD_EVENTS), hash: prev, events: OLD_EVENTS });
    expect(checkpoint.hash).toBe(prev);

    const [archived] = await auditRows(stack.db.url, "action = 'audit.archived'");
    expect(archived).toMatchObject({ actor_role: 'system', resource_id: checkpoint.archive_key });

    const verify = await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, fromSeq: String(OLD_EVENTS) });
    expect(verify.body.checked).toBeGreaterThan(0);
  });

  it('the checkpoint is signed and proven against its archive: an altered archive fails verify', async () => {
    const [checkpoint] = await sql<{ archive_key: string; mac: string | null; archive_sha256: string | null }>(
      stack.db.url,
      'select archive_key, mac, archive_sha256 from audit_checkpoints',
    );
    expect(checkpoint.mac).toMatch(/^[0-9a-f]{64}$/);
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    const original = await readObject(storage, checkpoint.archive_key);
    await storage.put(checkpoint.archive_key, Buffer.from(original.toString('utf8').replace('"videos.update"', '"videos.remove"')), {
      contentType: 'application/x-ndjson',
    });
    try {
      const verify = await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200);
      expect(verify.body).toMatchObject({ ok: false, fromSeq: '0', unprovenCheckpoint: { archiveKey: checkpoint.archive_key } });
      expect(verify.body.reason).toMatch(/does not hash to the SHA-256 it claims/);
    } finally {
      await storage.put(checkpoint.archive_key, original, { contentType: 'application/x-ndjson' });
    }
    const restored = await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200);
    expect(restored.body).toMatchObject({ ok: true, fromSeq: String(OLD_EVENTS) });
  });

  it('outside retention, deleting archived-looking events is still refused', async () => {
    await expect(sql(stack.db.url, 'delete from audit_events where chain_seq <= 100')).rejects.toThrow(/append-only/);
  });
});

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.getStream(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
