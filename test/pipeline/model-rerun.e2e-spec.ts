import { JobStage } from '@heimdex/db';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { StageModelScheduler } from '../../apps/worker/src/maintenance/stage-model-scheduler';
import { StageGate } from '../../apps/worker/src/pipeline/stage-gate';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

interface StageView {
  stage: string;
  state: string;
  model: { name: string; version: string } | null;
  finishedAt: string | null;
}

/** A built-in model's version changes: indexed videos whose output the old version made re-run that stage in the background. */
describe('pipeline: re-deriving outputs of a changed built-in model', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: {
        ASR_ENGINE: 'none',
        FACES_ENABLED: 'false',
        OCR_ENABLED: 'false',
        OBJECTS_ENABLED: 'false',
        MODERATION_ENABLED: 'false',
        MODEL_RERUN_BATCH: '1',
        MODEL_RERUN_INTERVAL_S: '0',
      },
    });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack.close();
  });

  const stages = async (id: string) => ((await client.get(id)).body as { stages: StageView[] }).stages;
  const byName = (all: StageView[], name: JobStage) => all.find((s) => s.stage === name);
  /** What an older version of the language identifier would have left on the stage row. */
  const makeStale = (id: string) =>
    db.query(
      `update pipeline_jobs set model = jsonb_set(model, '{version}', '"0.0.1-old"') where video_id = $1 and stage = 'language_detect' and state = 'completed'`,
      [id],
    );

  async function captionedVideo(words: string): Promise<string> {
    const file = join(mkdtempSync(join(tmpdir(), 'heimdex-model-rerun-')), 'plain.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:d=4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', file]);
    const id = await client.upload(file);
    await client.indexed(id);
    await request(stack.baseUrl)
      .put(`/v1/videos/${id}/captions`)
      .set(bearer(token))
      .set('Content-Type', 'application/x-subrip')
      .send(`1\n00:00:00,500 --> 00:00:03,500\n${words}\n`)
      .expect(202);
    await client.indexed(id);
    return id;
  }

  it('re-runs language_detect and what follows for the stale videos, one at a time, searchable throughout, and then nothing more', async () => {
    const scheduler = stack.worker!.get(StageModelScheduler);
    const first = await captionedVideo('the quick brown fox jumps over the lazy dog near the riverbank');
    const second = await captionedVideo('a lighthouse keeper writes letters to the harbour master every evening');
    const current = byName(await stages(first), JobStage.LanguageDetect)?.model;
    expect(current?.version).toBeTruthy();
    // Nothing stale yet.
    expect(await scheduler.schedule()).toBe(0);

    const before = await stages(first);
    await makeStale(first);
    await makeStale(second);

    const release = stack.worker!.get(StageGate).hold(JobStage.Commit);
    try {
      // MODEL_RERUN_BATCH=1: one video at a time.
      expect(await scheduler.schedule()).toBe(1);
      expect(await scheduler.schedule()).toBe(0);
      const states = await Promise.all([first, second].map(async (id) => (await client.get(id)).body.state as string));
      expect([...states].sort()).toEqual(['indexed', 'processing']);
      const rerunning = states[0] === 'processing' ? first : second;
      await eventually(async () => (byName(await stages(rerunning), JobStage.Commit)?.state === 'running' ? true : undefined), 120_000, 300);
      // Still found while it re-runs.
      const word = rerunning === first ? 'riverbank' : 'harbour';
      const hits = (await request(stack.baseUrl).get('/v1/search').query({ q: word, videoId: rerunning }).set(bearer(token)).expect(200)).body.items;
      expect(hits.length).toBeGreaterThan(0);
    } finally {
      release();
    }
    await client.indexed(first);
    await client.indexed(second);
    expect(await scheduler.schedule()).toBe(1);
    await eventually(
      async () => ((await client.get(first)).body.state === 'indexed' && (await client.get(second)).body.state === 'indexed' ? true : undefined),
      150_000,
      300,
    );

    const after = await stages(first);
    expect(byName(after, JobStage.LanguageDetect)?.model).toEqual(current);
    // language_detect and what depends on it ran again; what it depends on kept its output.
    for (const stage of [JobStage.LanguageDetect, JobStage.SidecarBuild, JobStage.Commit]) {
      expect(byName(after, stage)?.finishedAt).not.toBe(byName(before, stage)?.finishedAt);
    }
    for (const stage of [JobStage.AsrFast, JobStage.AlignMerge, JobStage.EmbedText, JobStage.SceneDetect]) {
      expect(byName(after, stage)?.finishedAt).toBe(byName(before, stage)?.finishedAt);
    }
    expect(byName(await stages(second), JobStage.LanguageDetect)?.model).toEqual(current);
    // Idempotent: every output is the loaded model's now.
    expect(await scheduler.schedule()).toBe(0);
    // A transcript from captions is not a speech model's output: nothing re-runs for it.
    expect(byName(after, JobStage.AsrFast)?.model?.name).toBe('captions');
  }, 400_000);
});
