import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const clip = (name: string) => join(__dirname, '..', 'fixtures', 'realmedia', 'faces', `${name}.mpg`);
const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });

/** Part of a clip as its own MP4 (another "video" of the same person). */
function part(name: string, fromS: number, seconds: number): string {
  const out = join(mkdtempSync(join(tmpdir(), 'heimdex-grid-')), `${name}-${fromS}.mp4`);
  execFileSync(bins.ffmpeg, [
    '-y',
    '-v',
    'error',
    '-ss',
    String(fromS),
    '-i',
    clip(name),
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    out,
  ]);
  return out;
}

interface ClusterDetail {
  id: string;
  size: number;
  videos: number;
  faces: { videoId: string }[];
}

/**
 * Real talking heads (GRID corpus) through the whole pipeline: one speaker in two separate
 * recordings ends up as one cluster of unnamed faces, so does one recording cut in two videos,
 * and the three other people are not merged into either or with each other.
 */
describe('pipeline: unknown faces on real talking heads cluster by person', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', OCR_ENABLED: 'false' } });
    token = await hsToken({ sub: randomUUID() });
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  it('one cluster for the person in two separate recordings, and for one cut in two; nobody else in either', async () => {
    // s1 and s2: GRID speaker 2 in two separate utterance recordings; a1/a2: one recording cut in two; b, c, d: three other people.
    const uploads = {
      s1: clip('id2_vcd_swwp2s'),
      s2: clip('pwij3p'),
      a1: part('bbaf2n', 0, 1.5),
      a2: part('bbaf2n', 1.5, 1.5),
      b: clip('brbk7n'),
      c: clip('lbax4n'),
      d: clip('sbia1a'),
    };
    const ids: Record<string, string> = {};
    for (const [key, file] of Object.entries(uploads)) ids[key] = await client.upload(file);
    for (const id of Object.values(ids)) {
      const video = await client.indexed(id, 240_000);
      const faces = video.stages.find((s: { stage: string }) => s.stage === 'faces_enroll_match');
      expect(faces).toMatchObject({ state: 'completed', note: expect.stringMatching(/^1 face track\(s\) from \d+ analysis frame/) });
      // One talking head per shot: one descriptor for the track's first face, and at most two better ones.
      const [, detected, describedCount, reusedCount] = /(\d+) face\(s\) detected, descriptors computed for (\d+), reused for (\d+)/
        .exec(faces.note)!
        .map(Number);
      expect(describedCount).toBeGreaterThanOrEqual(1);
      expect(describedCount).toBeLessThanOrEqual(3);
      expect(describedCount + reusedCount).toBe(detected);
      // What each model call cost: the detector on every frame, and the descriptors of the track's faces.
      expect(faces.note).toMatch(/median wall per call: SSD \+ landmarks \d+ ms\/frame, descriptor \+ expressions \d+ ms\/face;/);
    }
    // Every unnamed track placed by the clustering jobs (one per video).
    await eventually(async () => {
      const [{ waiting }] = await sql<{ waiting: string }>(
        stack.db.url,
        `select count(*) as waiting from faces where source = 'detection' and person_id is null and not clustered`,
      );
      return Number(waiting) === 0 || undefined;
    }, 120_000);
    const clusters = await eventually(async () => {
      const list = (await request(stack.baseUrl).get('/v1/faces/clusters').set(bearer(token)).expect(200)).body.items as { id: string }[];
      if (list.length < 2) return undefined;
      return Promise.all(
        list.map(async (c) => (await request(stack.baseUrl).get(`/v1/faces/clusters/${c.id}`).set(bearer(token)).expect(200)).body as ClusterDetail),
      );
    }, 60_000);
    const members = clusters.map((c) => c.faces.map((f) => f.videoId).sort());
    expect(members).toHaveLength(2);
    expect(members).toEqual(expect.arrayContaining([[ids.s1, ids.s2].sort(), [ids.a1, ids.a2].sort()]));
  }, 600_000);
});
