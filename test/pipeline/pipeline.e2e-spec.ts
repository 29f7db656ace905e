import { validateSidecar } from '@heimdex/sidecar';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sql } from '../helpers/test-database';
import { media } from '../helpers/media';
import { writeTestClipModel, writeTestTextModel } from '../helpers/onnx-models';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

interface StageView {
  stage: string;
  state: string;
  error?: string;
  note?: string;
  model?: { name: string; version: string };
}
interface SceneView {
  index: number;
  startS: number;
  endS: number;
  ocrText: string;
  tags: string[];
  thumbnailUrl: string | null;
}

/**
 * A generated video through every stage on the real worker: real ffmpeg, the real OCR
 * model, ONNX text and CLIP models written by the test helper (run by onnxruntime-node).
 */
describe('pipeline: every stage on a generated video', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  const shots = [
    { seconds: 2.5, color: 'navy' },
    { seconds: 3, color: 'darkgreen', text: 'QUARTERLY SALES REVIEW' },
    { seconds: 2, color: 'maroon' },
    { seconds: 2.5, color: 'black', text: 'HEIMDEX' },
  ];
  const cuts = [2.5, 5.5, 7.5];

  beforeAll(async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'heimdex-models-'));
    writeTestTextModel(modelDir);
    writeTestClipModel(modelDir);
    stack = await startTestStack({ worker: true, env: { MODEL_DIR: modelDir, ASR_ENGINE: 'none', FACES_ENABLED: 'false' } });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  const indexed = (id: string) => client.indexed(id);

  jest.setTimeout(180_000);

  it('indexes scenes at the cuts, with on-screen text, thumbnails, vectors, tags and a valid sidecar', async () => {
    const file = media.shots({ name: 'pipeline-four-shots', audio: 'silent', shots });
    const id = await client.upload(file, { title: 'Quarterly review' });
    const video = await indexed(id);
    expect(video.progress).toBe(1);

    const stages = video.stages as StageView[];
    expect(stages.map((s) => s.stage)).toEqual([
      'upload_validate',
      'audio_extract',
      'asr_fast',
      'scene_detect',
      'align_merge',
      'embed_text',
      'vision_sample_frames',
      'vision_embed_frames',
      'vision_affect_tags',
      'faces_enroll_match',
      'vision_objects',
      'vision_moderation',
      'language_detect',
      'sidecar_build',
      'commit',
    ]);
    const byStage = Object.fromEntries(stages.map((s) => [s.stage, s]));
    expect(byStage.asr_fast).toMatchObject({ state: 'skipped', error: 'ASR disabled (ASR_ENGINE=none)' });
    expect(byStage.align_merge).toMatchObject({ state: 'skipped', error: expect.stringMatching(/no transcript/) });
    expect(byStage.faces_enroll_match).toMatchObject({ state: 'skipped', error: expect.stringMatching(/FACES_ENABLED=false/) });
    for (const s of [
      'upload_validate',
      'audio_extract',
      'scene_detect',
      'embed_text',
      'vision_sample_frames',
      'vision_embed_frames',
      'vision_affect_tags',
      'sidecar_build',
      'commit',
    ]) {
      expect({ stage: s, state: byStage[s].state }).toEqual({ stage: s, state: 'completed' });
    }
    expect(byStage.embed_text.model).toEqual({ name: 'test-minilm', version: expect.any(String) });
    // The note carries the reason when OCR did not load, so a failure here says why.
    expect({ model: byStage.vision_sample_frames.model?.name, note: byStage.vision_sample_frames.note }).toMatchObject({ model: 'pp-ocrv4' });
    // Stepwise OCR: what was detected, recognised and reused, and what each cost.
    expect(byStage.vision_sample_frames.note).toMatch(
      /OCR read \d+ frame\(s\), \d+ distinct line\(s\); \d+ text box\(es\) detected, \d+ recognised, \d+ reused unchanged; detection on \d+% of the frame area, \d+ ms\/frame, recognition \d+ ms\/box \(medians\)/,
    );

    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as SceneView[];
    expect(scenes).toHaveLength(4);
    scenes.slice(1).forEach((s, i) => expect(Math.abs(s.startS - cuts[i])).toBeLessThanOrEqual(0.2));
    expect(scenes[3].endS).toBeCloseTo(10, 0);

    // On-screen text lands in the scene that showed it, and nowhere else.
    expect(scenes[1].ocrText).toMatch(/QUARTERLY/);
    expect(scenes[1].ocrText).toMatch(/SALES/);
    expect(scenes[3].ocrText).toMatch(/HEIMDEX/);
    expect(scenes[0].ocrText).toBe('');
    expect(scenes[2].ocrText).toBe('');

    // Silent audio: every scene measured quiet.
    for (const s of scenes) expect(s.tags).toContain('quiet');

    const thumb = await fetch(scenes[1].thumbnailUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');

    const rows = await sql<{ index: number; text_model: string | null; visual_model: string | null; fts: boolean }>(
      stack.db.url,
      `select index, text_embedding_model as text_model, visual_embedding_model as visual_model,
              search_vector @@ websearch_to_tsquery('simple', 'quarterly sales') as fts
       from scenes where video_id = $1 order by index`,
      [id],
    );
    expect(rows.map((r) => r.fts)).toEqual([false, true, false, false]);
    // Text vectors only for scenes with text; visual vectors for every scene.
    expect(rows.map((r) => r.text_model !== null)).toEqual([false, true, false, true]);
    expect(rows.every((r) => r.visual_model?.startsWith('test-clip@'))).toBe(true);

    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    expect(validateSidecar(sidecar)).toEqual({ ok: true });
    expect(sidecar.scenes).toHaveLength(4);
    expect(sidecar.models.ocr.name).toBe('pp-ocrv4');
    expect(sidecar.models.asr).toBeNull();
    const vtt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=vtt`).set(bearer(token)).expect(200);
    // No speech engine ran: the empty transcript says why, in the sidecar, the WebVTT file and the SRT response.
    expect(sidecar.transcript).toMatchObject({ segments: [], note: 'no transcript: speech recognition was skipped; ASR disabled (ASR_ENGINE=none)' });
    expect(vtt.text).toBe(`WEBVTT\n\nNOTE ${sidecar.transcript.note}\n`);
    const srt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=srt`).set(bearer(token)).expect(200);
    expect(srt.text).toBe('');
    expect(srt.headers['heimdex-transcript-note']).toBe(sidecar.transcript.note);

    // One decode pass: the kept frames came from scene_detect, and no other stage decoded the video.
    expect(byStage.scene_detect.note).toMatch(/4 scene\(s\).*from one decode/);
  });

  it('a video without sound: audio stages are skipped with the reason', async () => {
    const file = media.shots({ name: 'pipeline-no-audio', audio: 'none', shots: shots.slice(0, 2) });
    const video = await indexed(await client.upload(file));
    const byStage = Object.fromEntries((video.stages as StageView[]).map((s) => [s.stage, s]));
    expect(byStage.audio_extract).toMatchObject({ state: 'skipped', error: 'no audio: the video has no audio stream' });
    expect(byStage.asr_fast).toMatchObject({ state: 'skipped', error: 'no audio' });
  });

  it('reprocess ?from= reruns that stage and what follows only, without duplicating scenes', async () => {
    const file = media.shots({ name: 'pipeline-reprocess', audio: 'silent', shots: shots.slice(0, 3) });
    const id = await client.upload(file);
    const first = await indexed(id);
    const before = Object.fromEntries((first.stages as { stage: string; finishedAt: string }[]).map((s) => [s.stage, s.finishedAt]));

    await request(stack.baseUrl).post(`/v1/videos/${id}/reprocess?from=scene_detect`).set(bearer(token)).expect(202);
    const again = await indexed(id);
    const after = Object.fromEntries((again.stages as { stage: string; finishedAt: string }[]).map((s) => [s.stage, s.finishedAt]));
    expect(after.upload_validate).toBe(before.upload_validate);
    expect(after.audio_extract).toBe(before.audio_extract);
    expect(after.scene_detect).not.toBe(before.scene_detect);
    expect(after.commit).not.toBe(before.commit);

    const [{ n }] = await sql<{ n: string }>(stack.db.url, 'select count(*) as n from scenes where video_id = $1', [id]);
    expect(Number(n)).toBe(3);
    await request(stack.baseUrl).post(`/v1/videos/${id}/reprocess?from=nope`).set(bearer(token)).expect(400);
  });

  it('deleting a video mid-pipeline stops it and leaves no rows or objects behind', async () => {
    const file = media.shots({ name: 'pipeline-delete', audio: 'silent', shots });
    const id = await client.upload(file);
    await eventually(
      async () => ((await client.get(id)).body.stages as StageView[]).some((s) => s.stage === 'scene_detect' && s.state !== 'pending') || undefined,
    );
    await request(stack.baseUrl).delete(`/v1/videos/${id}`).set(bearer(token)).expect(204);
    await eventually(async () => {
      const [{ scenes, jobs }] = await sql<{ scenes: string; jobs: string }>(
        stack.db.url,
        'select (select count(*) from scenes where video_id = $1) as scenes, (select count(*) from pipeline_jobs where video_id = $1) as jobs',
        [id],
      );
      return Number(scenes) === 0 && Number(jobs) === 0 ? true : undefined;
    }, 60_000);
    // Give a stage still running when the purge ran time to notice, then check storage is empty.
    await new Promise((r) => setTimeout(r, 3000));
    const root = stack.config.storage.driver === 'local' ? stack.config.storage.root : '';
    const { readdirSync, existsSync } = await import('node:fs');
    const userDirs = existsSync(join(root, stack.config.storage.bucket, 'videos'))
      ? readdirSync(join(root, stack.config.storage.bucket, 'videos'), { recursive: true })
      : [];
    expect((userDirs as string[]).filter((p) => p.includes(id) && /\.(jpg|webp|json|wav|vtt|srt)$|source$/.test(p))).toEqual([]);
  });
});
