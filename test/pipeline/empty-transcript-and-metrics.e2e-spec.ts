import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { WorkerMetricsServer } from '../../apps/worker/src/metrics/worker-metrics.server';
import { media } from '../helpers/media';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const METRICS_TOKEN = 'metrics-token-for-the-worker-test';

/**
 * A video indexed with no speech engine: its empty subtitles say why (sidecar, WebVTT NOTE, SRT
 * header). The worker's own Prometheus endpoint counts its stage runs, failures and queue depths.
 */
describe('pipeline without speech, and the worker metrics', () => {
  let stack: TestStack;
  let token: string;
  let metricsUrl: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { ASR_ENGINE: 'none', OCR_ENABLED: 'false', FACES_ENABLED: 'false', WORKER_METRICS_PORT: '0', METRICS_TOKEN },
    });
    token = await hsToken({ sub: randomUUID() });
    metricsUrl = `http://127.0.0.1:${stack.worker!.get(WorkerMetricsServer).port}`;
  }, 120_000);
  afterAll(() => stack.close());

  it('empty subtitles say that speech recognition was skipped, and why', async () => {
    const client = new VideosClient(stack.baseUrl, token);
    const id = await client.upload(media.video(3));
    await client.indexed(id);
    const note = 'no transcript: speech recognition was skipped; ASR disabled (ASR_ENGINE=none)';
    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    expect(sidecar.transcript).toEqual({ language: null, source: null, model: null, segments: [], note });
    const vtt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=vtt`).set(bearer(token)).expect(200);
    expect(vtt.text).toBe(`WEBVTT\n\nNOTE ${note}\n`);
    expect(vtt.headers['heimdex-transcript-note']).toBe(note);
    const srt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=srt`).set(bearer(token)).expect(200);
    expect(srt.text).toBe('');
    expect(srt.headers['heimdex-transcript-note']).toBe(note);
    // The JSON has the note in its body, not in a header.
    expect((await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token))).headers['heimdex-transcript-note']).toBeUndefined();
  });

  it('the worker serves stage durations, failures and queue depths at WORKER_METRICS_PORT, behind METRICS_TOKEN', async () => {
    await request(metricsUrl).get('/metrics').expect(401);
    await request(metricsUrl).get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length').expect(401);
    await request(metricsUrl).get('/nope').set(bearer(METRICS_TOKEN)).expect(404);

    const client = new VideosClient(stack.baseUrl, token);
    const bad = await client.upload(media.corrupt());
    await eventually(async () => ((await client.get(bad)).body.state === 'failed' ? true : undefined), 60_000);

    const text = (
      await request(metricsUrl)
        .get('/metrics')
        .set(bearer(METRICS_TOKEN))
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
    // The video indexed above: every stage once, the skipped ones as skipped.
    expect(text).toMatch(/^heimdex_stage_duration_seconds_count\{stage="upload_validate",outcome="completed"\} [1-9]/m);
    expect(text).toMatch(/^heimdex_stage_duration_seconds_count\{stage="asr_fast",outcome="skipped"\} 1$/m);
    expect(text).toMatch(/^heimdex_stage_duration_seconds_count\{stage="commit",outcome="completed"\} 1$/m);
    // The corrupt upload failed its validation for good.
    expect(text).toMatch(/^heimdex_stage_failures_total\{stage="upload_validate",final="true"\} 1$/m);
    expect(text).toMatch(/^heimdex_stage_duration_seconds_count\{stage="upload_validate",outcome="failed"\} 1$/m);
    for (const queue of ['media', 'asr', 'vision', 'maintenance'])
      expect(text).toMatch(new RegExp(`^heimdex_queue_jobs\\{queue="[^"]*${queue}",state="waiting"\\} \\d+$`, 'm'));
    expect(text).toMatch(/^heimdex_worker_process_cpu_seconds_total /m);
  });
});
