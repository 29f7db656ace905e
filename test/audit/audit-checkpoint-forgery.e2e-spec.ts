import { AuditRetention } from '@heimdex/audit';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { allSealed, auditRows } from '../helpers/audit';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/**
 * A database user with no superuser power forges a retention checkpoint and deletes an event
 * under it (the trigger allows deletes up to a checkpoint in a session that says it is retention).
 * The checkpoint is not signed with the key only retention holds, so verify reports it and
 * verifies from the last proven checkpoint (here genesis), where the removed event shows.
 */
describe('audit chain: a forged retention checkpoint', () => {
  let stack: TestStack;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_SEAL_INTERVAL_MS: '200' } });
    admin = await hsToken({ sub: randomUUID(), role: 'admin' });
    const user = await hsToken();
    for (let i = 0; i < 6; i++) {
      await request(stack.baseUrl)
        .post('/v1/videos')
        .set(bearer(user))
        .send({ filename: `v${i}.mp4`, contentType: 'video/mp4', sizeBytes: 100 + i })
        .expect(201);
    }
    await allSealed(stack.db.url);
  });

  afterAll(() => stack.close());

  it('verify reports the checkpoint it cannot prove and the event removed under it', async () => {
    const before = (await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200)).body;
    expect(before).toMatchObject({ ok: true, fromSeq: '0' });

    const sealed = (await auditRows(stack.db.url, 'chain_seq is not null')).sort((a, b) => Number(a.chain_seq) - Number(b.chain_seq));
    const tip = sealed[sealed.length - 1];
    const victim = sealed[2];
    const c = new Client({ connectionString: stack.db.url });
    await c.connect();
    try {
      await c.query('insert into audit_checkpoints (through_seq, hash, archive_key, events) values ($1, $2, $3, $4)', [
        tip.chain_seq,
        tip.hash,
        'audit/archive/forged.ndjson',
        Number(tip.chain_seq),
      ]);
      await c.query('begin');
      await c.query("set local heimdex.audit_retention = 'on'");
      await c.query('delete from audit_events where id = $1', [victim.id]);
      await c.query('commit');
    } finally {
      await c.end();
    }
    expect(await auditRows(stack.db.url, 'id = $1', [victim.id])).toEqual([]);

    const after = (await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200)).body;
    expect(after).toMatchObject({
      ok: false,
      fromSeq: '0',
      firstBadId: sealed[3].id,
      unprovenCheckpoint: { throughSeq: tip.chain_seq, archiveKey: 'audit/archive/forged.ndjson' },
    });
    expect(after.reason).toMatch(/checkpoint through chain position \d+ cannot be proven: it is not signed/);
    expect(after.reason).toMatch(/events are missing/);
  });

  it('retention refuses to archive on top of a checkpoint it cannot prove', async () => {
    await expect(stack.api.get(AuditRetention).run()).rejects.toThrow(/cannot be proven.*retention stopped, nothing removed/);
  });
});
