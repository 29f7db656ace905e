import { JobStage } from '@heimdex/db';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { StageGate } from '../../apps/worker/src/pipeline/stage-gate';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const realmedia = join(__dirname, '..', 'fixtures', 'realmedia');

/**
 * A re-run from a mid-pipeline stage (new captions) or from the start (reprocess): search and the
 * scenes API keep serving the last committed version while the re-run's stages rewrite the scenes,
 * until its commit swaps the new version in.
 */
describe('pipeline: a re-run serves the committed version until its commit', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', FACES_ENABLED: 'false', OCR_ENABLED: 'false' } });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack.close();
  });

  const search = async (q: string, videoId: string) =>
    ((await request(stack.baseUrl).get('/v1/search').query({ q, videoId }).set(bearer(token)).expect(200)).body as { items: { sceneId: string }[] }).items;
  const transcript = async (id: string) =>
    ((await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as { transcript: string }[])
      .map((s) => s.transcript)
      .join(' ');
  const stage = async (id: string, name: JobStage) =>
    ((await client.get(id)).body as { stages: { stage: string; state: string }[] }).stages.find((s) => s.stage === name)?.state;
  /** The pipeline's own scenes (not the committed copies), straight from the database. */
  const workingTranscript = async (id: string) =>
    (await db.query<{ t: string }>(`select string_agg(transcript, ' ' order by index) as t from scenes where video_id = $1 and copy_of is null`, [id])).rows[0]
      .t;
  const copies = async (id: string) =>
    Number((await db.query<{ n: string }>(`select count(*) as n from scenes where video_id = $1 and copy_of is not null`, [id])).rows[0].n);

  /** Runs `start`, holds the re-run's commit once it started, runs `whileHeld`, then lets the commit through. */
  async function holdingCommit(id: string, start: () => Promise<unknown>, whileHeld: () => Promise<void>): Promise<void> {
    const release = stack.worker!.get(StageGate).hold(JobStage.Commit);
    try {
      await start();
      // Running: every other stage of the re-run is done and the commit is held before its work.
      await eventually(async () => ((await stage(id, JobStage.Commit)) === 'running' ? true : undefined), 150_000, 300);
      await whileHeld();
    } finally {
      release();
    }
    await client.indexed(id);
  }

  it('keeps finding the old captions during a captions re-run, the new ones after its commit; and during a full reprocess', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heimdex-rerun-')), 'plain.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:d=6', '-i', join(realmedia, 'speech', 'LJ001-0004.wav')],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
    ]);
    const id = await client.upload(file);
    await client.indexed(id);
    const putCaptions = (srt: string) =>
      request(stack.baseUrl).put(`/v1/videos/${id}/captions`).set(bearer(token)).set('Content-Type', 'application/x-subrip').send(srt).expect(202);

    await putCaptions('1\n00:00:00,500 --> 00:00:02,500\nthe block books\n\n2\n00:00:03,000 --> 00:00:04,500\nimmediate predecessors\n');
    await client.indexed(id);
    expect(await search('predecessors', id)).not.toHaveLength(0);

    await holdingCommit(
      id,
      () => putCaptions('1\n00:00:00,500 --> 00:00:04,500\nzanzibar lighthouse keepers\n'),
      async () => {
        expect((await client.get(id)).body.state).toBe('processing');
        // The re-run's stages have written the new captions into the scenes the pipeline works on...
        expect(await workingTranscript(id)).toBe('zanzibar lighthouse keepers');
        // ...while search and the scenes API still serve the committed version.
        expect(await search('predecessors', id)).not.toHaveLength(0);
        expect(await search('zanzibar', id)).toHaveLength(0);
        expect(await transcript(id)).toBe('the block books immediate predecessors');
      },
    );
    expect(await search('zanzibar', id)).not.toHaveLength(0);
    expect(await search('predecessors', id)).toHaveLength(0);
    expect(await transcript(id)).toBe('zanzibar lighthouse keepers');
    expect(await copies(id)).toBe(0);

    // A reprocess from the start replaces the scenes themselves (scene_detect): the video stays findable throughout.
    await holdingCommit(
      id,
      () => request(stack.baseUrl).post(`/v1/videos/${id}/reprocess`).set(bearer(token)).expect(202),
      async () => {
        expect((await client.get(id)).body.state).toBe('processing');
        expect(await copies(id)).toBeGreaterThan(0);
        expect(await search('lighthouse', id)).not.toHaveLength(0);
        expect(await transcript(id)).toBe('zanzibar lighthouse keepers');
      },
    );
    expect(await search('lighthouse', id)).not.toHaveLength(0);
    expect(await copies(id)).toBe(0);
  }, 400_000);
});
