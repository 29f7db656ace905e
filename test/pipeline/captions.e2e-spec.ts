import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const realmedia = join(__dirname, '..', 'fixtures', 'realmedia');

/** LJ001-0001 read aloud, captioned with its own human transcript (metadata.csv) in two cues. */
function ljCues(): { startS: number; endS: number; text: string }[] {
  const line = readFileSync(join(realmedia, 'speech', 'metadata.csv'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('LJ001-0001|'));
  if (!line) throw new Error('LJ001-0001 is missing from metadata.csv');
  const words = line.split('|')[2].split(' ');
  // Silero VAD hears a pause at 4.0–4.5 s: the first ten words are said before it.
  return [
    { startS: 0.2, endS: 4.0, text: words.slice(0, 10).join(' ') },
    { startS: 4.5, endS: 9.6, text: words.slice(10).join(' ') },
  ];
}

function srt(cues: { startS: number; endS: number; text: string }[]): string {
  const t = (s: number) => `00:00:0${Math.floor(s)},${String(Math.round((s % 1) * 1000)).padStart(3, '0')}`;
  return cues.map((c, i) => `${i + 1}\n${t(c.startS)} --> ${t(c.endS)}\n${c.text}\n`).join('\n');
}

/** Captions as the transcript: embedded in the file, or added through the API. */
describe('pipeline: captions', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', FACES_ENABLED: 'false', OCR_ENABLED: 'false' } });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  // A real recording with its real transcript muxed in as an mp4 mov_text subtitle stream.
  it('uses the subtitle stream as the transcript, says so, and finds a cue phrase at the cue’s time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-captions-'));
    const cues = ljCues();
    writeFileSync(join(dir, 'captions.srt'), srt(cues));
    const file = join(dir, 'captioned.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=320x240:d=9.7',
      '-i',
      join(realmedia, 'speech', 'LJ001-0001.wav'),
      '-i',
      join(dir, 'captions.srt'),
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-map',
      '2:s',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-c:s',
      'mov_text',
      '-shortest',
      file,
    ]);
    const id = await client.upload(file);
    const video = await client.indexed(id);
    expect(video.stages.find((s: { stage: string }) => s.stage === 'asr_fast')).toMatchObject({
      state: 'completed',
      model: { name: 'captions', version: 'embedded-mov_text' },
      note: expect.stringMatching(/^2 caption cue\(s\)/),
    });

    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      transcript: string;
      transcriptSource: string | null;
    }[];
    expect(scenes.map((s) => s.transcript).join(' ')).toBe(cues.map((c) => c.text).join(' '));
    expect(scenes.every((s) => s.transcriptSource === 'captions')).toBe(true);

    // Words said only in the second cue, whose word times are spread over it.
    const search = (await request(stack.baseUrl).get('/v1/search').query({ q: '"crafts represented"', videoId: id }).set(bearer(token)).expect(200)).body as {
      items: { matchStartS: number | null; matchedBy: string[] }[];
    };
    expect(search.items.length).toBeGreaterThan(0);
    const at = search.items[0].matchStartS ?? -1;
    expect(at).toBeGreaterThanOrEqual(cues[1].startS);
    expect(at).toBeLessThanOrEqual(cues[1].endS);

    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    expect(sidecar.transcript.source).toBe('captions');
    expect(sidecar.scenes[0].transcriptSource).toBe('captions');
    const vtt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=vtt`).set(bearer(token)).expect(200);
    expect(vtt.text).toMatch(/^WEBVTT - captions\n/);
  }, 240_000);

  // A podcast upload: the cover picture muxed once (a video stream of one 0.04 s frame) over the speech.
  it('indexes a still cover picture over speech: a scene, its transcript and a thumbnail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-still-cover-'));
    const cues = ljCues();
    writeFileSync(join(dir, 'captions.srt'), srt(cues));
    const file = join(dir, 'cover.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:d=9.7', '-i', join(realmedia, 'speech', 'LJ001-0001.wav')],
      ...['-i', join(dir, 'captions.srt'), '-map', '0:v', '-map', '1:a', '-map', '2:s', '-vf', 'select=eq(n\\,0)', '-vsync', '0'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-c:s', 'mov_text', file],
    ]);
    const id = await client.upload(file);
    const video = await client.indexed(id);
    expect(video.stages.find((s: { stage: string }) => s.stage === 'scene_detect')).toMatchObject({ state: 'completed' });
    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      transcript: string;
      thumbnailUrl: string | null;
    }[];
    expect(scenes.length).toBeGreaterThanOrEqual(1);
    expect(scenes.map((s) => s.transcript).join(' ')).toBe(cues.map((c) => c.text).join(' '));
    expect(scenes[0].thumbnailUrl).toEqual(expect.any(String));
  }, 240_000);

  // OCR_ENABLED=false here: the Popeye clip's PGS (bitmap) track cannot be read, and the stage says why.
  it('skips an embedded bitmap subtitle track without OCR, with the reason', async () => {
    const id = await client.upload(join(realmedia, 'film', 'popeye_sinbad_p1.mkv'), { contentType: 'video/x-matroska' });
    const video = await client.indexed(id, 600_000);
    expect(video.stages.find((s: { stage: string }) => s.stage === 'asr_fast')).toMatchObject({
      state: 'skipped',
      error: 'no audio; embedded hdmv_pgs_subtitle subtitle stream not read: OCR is switched off (OCR_ENABLED=false)',
    });
  }, 600_000);

  // PUT/DELETE /v1/videos/:id/captions: validation, ownership, precedence and re-indexing.
  it('rejects bad files with the line, hides other users’ videos, then re-indexes with the captions and without them after DELETE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-captions-put-'));
    const file = join(dir, 'plain.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=320x240:d=6',
      '-i',
      join(realmedia, 'speech', 'LJ001-0004.wav'),
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      file,
    ]);
    const id = await client.upload(file);
    await client.indexed(id);
    const put = (body: string, type: string, as = token) =>
      request(stack.baseUrl).put(`/v1/videos/${id}/captions`).set(bearer(as)).set('Content-Type', type).send(body);

    const malformed = await put('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 00:00:04.000\nbad arrow\n', 'text/vtt').expect(422);
    expect(malformed.body.message).toMatch(/line 6/);
    await put('1\n00:00:01,000 --> 00:00:02,000\nhi\n', 'text/plain').expect(415);
    await put(`WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n${'x'.repeat(2 * 1024 * 1024)}\n`, 'text/vtt').expect(413);
    const stranger = await hsToken({ sub: '00000000-0000-4000-8000-0000000c0de5' });
    await put('1\n00:00:01,000 --> 00:00:02,000\nhi\n', 'application/x-subrip', stranger).expect(404);
    await request(stack.baseUrl).delete(`/v1/videos/${id}/captions`).set(bearer(stranger)).expect(404);

    await put('1\n00:00:00,500 --> 00:00:02,500\nthe block books\n\n2\n00:00:03,000 --> 00:00:04,500\nimmediate predecessors\n', 'application/x-subrip').expect(
      202,
    );
    let video = await client.indexed(id);
    expect(video.stages.find((s: { stage: string }) => s.stage === 'asr_fast')).toMatchObject({ model: { name: 'captions', version: 'user-subrip' } });
    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      transcript: string;
      transcriptSource: string | null;
    }[];
    expect(scenes.map((s) => s.transcript).join(' ')).toBe('the block books immediate predecessors');
    expect(scenes[0].transcriptSource).toBe('captions');
    const hit = (await request(stack.baseUrl).get('/v1/search').query({ q: 'predecessors', videoId: id }).set(bearer(token)).expect(200)).body.items[0];
    expect(hit.matchStartS).toBeGreaterThanOrEqual(3);
    expect(hit.matchStartS).toBeLessThanOrEqual(4.5);

    await request(stack.baseUrl).delete(`/v1/videos/${id}/captions`).set(bearer(token)).expect(202);
    video = await client.indexed(id);
    // ASR_ENGINE=none: without the captions there is no transcript at all.
    expect(video.stages.find((s: { stage: string }) => s.stage === 'asr_fast')).toMatchObject({ state: 'skipped' });
    const after = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      transcript: string;
      transcriptSource: string | null;
    }[];
    expect(after.map((s) => s.transcript).join('')).toBe('');
    expect(after[0].transcriptSource).toBeNull();
  }, 300_000);
});
