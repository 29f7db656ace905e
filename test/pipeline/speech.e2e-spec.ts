import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import request from 'supertest';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { speechAvailable, writeSpeechVideo } from '../helpers/speech';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const pocketsphinx =
  (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, 'pocketsphinx_continuous')) || existsSync(join(d, 'pocketsphinx'))) &&
  existsSync('/usr/share/pocketsphinx/model/en-us');
const missing = [!pocketsphinx && 'pocketsphinx pocketsphinx-en-us', !speechAvailable() && 'espeak-ng'].filter(Boolean);
// Skipped only where Debian's pocketsphinx or espeak-ng (which speaks the test audio) is missing; .ci/run installs both.
const describeWithSpeech = missing.length ? describe.skip : describe;
const title = missing.length ? `pipeline: speech (skipped: apt-get install ${missing.join(' ')})` : 'pipeline: speech';

/** asr_fast (pocketsphinx, the built-in engine) and align_merge: spoken words land in the scene they were said in. */
describeWithSpeech(title, () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'pocketsphinx', FACES_ENABLED: 'false', OCR_ENABLED: 'false' } });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  it('transcribes words with times, in the scene where they were spoken, with subtitles', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heimdex-speech-')), 'speech.mp4');
    writeSpeechVideo(
      file,
      [
        { text: 'hello world', atS: 1 },
        { text: 'happy birthday', atS: 6 },
      ],
      9,
      { cutsAtS: [4.5], voice: 'en-us+m1', size: '320x240' },
    );
    const id = await client.upload(file);
    const video = await client.indexed(id);
    expect(video.language).toBe('en');
    expect(video.stages.find((s: { stage: string }) => s.stage === 'asr_fast')).toMatchObject({ state: 'completed', model: { name: 'pocketsphinx-en-us' } });

    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      startS: number;
      transcript: string;
    }[];
    expect(scenes).toHaveLength(2);
    expect(scenes[0].transcript).toMatch(/hello world/);
    expect(scenes[0].transcript).not.toMatch(/birthday/);
    expect(scenes[1].transcript).toMatch(/happy birthday/);

    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    const hello = sidecar.scenes[0].words.find((w: { word: string }) => w.word === 'hello');
    expect(Math.abs(hello.startS - 1)).toBeLessThanOrEqual(0.5);
    const srt = await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar?format=srt`).set(bearer(token)).expect(200);
    expect(srt.text).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nhello world/);
  }, 200_000);

  it('invents no words on a video whose sound is music only (real CC0 guitar, which raw pocketsphinx hears as "oh well uh wall")', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heimdex-music-')), 'music.mp4');
    const music = join(__dirname, '..', 'fixtures', 'realmedia', 'music', 'guit_em9.flac');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=c=navy:s=320x240:d=10',
      '-i',
      music,
      '-shortest',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      file,
    ]);
    const id = await client.upload(file);
    const video = await client.indexed(id);
    const asr = video.stages.find((s: { stage: string }) => s.stage === 'asr_fast');
    expect(asr).toMatchObject({ state: 'completed', note: expect.stringMatching(/^0 word\(s\).*speech 0 s/) });
    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as { transcript: string | null }[];
    expect(scenes.map((s) => s.transcript ?? '').join('')).toBe('');
  }, 200_000);
});
