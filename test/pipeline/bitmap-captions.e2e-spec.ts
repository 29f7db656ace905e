import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

// Every file this suite writes, removed when it ends.
const scratch = mkdtempSync(join(tmpdir(), 'heimdex-bitmap-tests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const film = join(__dirname, '..', 'fixtures', 'realmedia', 'film');
/** Popeye (1936): no audio, an embedded PGS (bitmap) English subtitle track; its own SubRip alongside. */
const popeye = join(film, 'popeye_sinbad_p1.mkv');
const srt = readFileSync(join(film, 'popeye_sinbad_p1.srt'), 'utf8');

interface Stage {
  stage: string;
  state: string;
  model?: { name: string; version: string };
  note?: string;
  error?: string;
}

/** An embedded bitmap subtitle track read by the worker's OCR as the transcript, and what takes precedence over it. */
describe('pipeline: bitmap subtitle captions', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    // OCR stays on (it reads the bitmap track); the picture's own frames are sampled as sparsely as allowed, as no assertion reads them.
    stack = await startTestStack({
      worker: true,
      env: { ASR_ENGINE: 'none', FACES_ENABLED: 'false', OBJECTS_ENABLED: 'false', MODERATION_ENABLED: 'false', FRAME_SAMPLE_FPS: '0.2' },
    });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  }, 180_000);
  afterAll(() => stack.close());

  const asrFast = async (id: string): Promise<Stage | undefined> => ((await client.indexed(id, 600_000)).stages as Stage[]).find((s) => s.stage === 'asr_fast');
  const search = async (id: string, q: string) =>
    (
      await request(stack.baseUrl)
        .get('/v1/search')
        .query({ q: `"${q}"`, videoId: id })
        .set(bearer(token))
        .expect(200)
    ).body.items as {
      matchStartS: number | null;
    }[];

  it('reads the PGS track by OCR as captions, finds its phrases at their cue times; user captions then win', async () => {
    const id = await client.upload(popeye, { contentType: 'video/x-matroska' });
    expect(await asrFast(id)).toMatchObject({
      state: 'completed',
      model: { name: 'captions', version: expect.stringMatching(/^embedded-hdmv_pgs_subtitle\+ocr-pp-ocrv4-/) },
      note: expect.stringMatching(/^1[0-3] caption cue\(s\) read by OCR from 1[0-3] picture\(s\) of the embedded hdmv_pgs_subtitle stream/),
    });
    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      transcript: string;
      transcriptSource: string | null;
    }[];
    expect(scenes.every((s) => s.transcriptSource === 'captions')).toBe(true);
    // Cue times from the SubRip (the truth): each phrase is matched inside its cue.
    for (const [q, fromS, toS] of [
      ['hearty and hale', 13, 16.4],
      ['back of a whale', 16.6, 20],
      ['scare all creation', 37.948, 40.348],
    ] as const) {
      const items = await search(id, q);
      expect({ q, found: items.length > 0 }).toEqual({ q, found: true });
      expect(items[0].matchStartS).toBeGreaterThanOrEqual(fromS);
      expect(items[0].matchStartS).toBeLessThanOrEqual(toS);
    }

    await request(stack.baseUrl).put(`/v1/videos/${id}/captions`).set(bearer(token)).set('Content-Type', 'application/x-subrip').send(srt).expect(202);
    expect(await asrFast(id)).toMatchObject({ state: 'completed', model: { name: 'captions', version: 'user-subrip' } });
  }, 900_000);

  it('prefers a text subtitle track to a bitmap one in the same file', async () => {
    const dir = mkdtempSync(join(scratch, 'heimdex-two-tracks-'));
    const file = join(dir, 'two-tracks.mkv');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    // The PGS track first: the text one is chosen for its kind, not its place.
    execFileSync(
      ffmpeg,
      ['-v', 'error', '-i', popeye, '-i', join(film, 'popeye_sinbad_p1.srt'), '-t', '10', '-map', '0:v', '-map', '0:s', '-map', '1:s'].concat([
        '-c',
        'copy',
        '-c:s:1',
        'srt',
        file,
      ]),
    );
    const id = await client.upload(file, { contentType: 'video/x-matroska' });
    expect(await asrFast(id)).toMatchObject({ state: 'completed', model: { name: 'captions', version: 'embedded-subrip' } });
  }, 600_000);
});
