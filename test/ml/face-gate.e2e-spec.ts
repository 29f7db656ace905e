import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { FaceApiEngine } from '../../libs/ml/src/faces/face-api-engine';

const DEMO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const FILM = join(__dirname, '../fixtures/realmedia/film');

/** A real photo letterboxed into a 1280x720 frame, as a video shows it. */
async function asVideoFrame(path: string): Promise<Buffer> {
  return sharp(path).resize(1280, 720, { fit: 'contain', background: '#000000' }).jpeg({ quality: 75 }).toBuffer();
}

function filmFrame(file: string, atS: number): Buffer {
  const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  return execFileSync(ffmpeg, ['-v', 'error', '-ss', String(atS), '-i', join(FILM, file), '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-'], {
    maxBuffer: 64 << 20,
  });
}

describe('face gate: BlazeFace before the SSD detector on video frames', () => {
  let engine: FaceApiEngine;
  beforeAll(async () => {
    engine = await FaceApiEngine.create();
  });

  it('lets a frame with real faces through to SSD, which finds the same faces as without the gate', async () => {
    const frame = await asVideoFrame(join(DEMO, 'sample1.jpg'));
    const alone = await engine.findFaces(frame);
    const gated = await engine.findFacesInFrame(frame);
    expect(alone.length).toBeGreaterThanOrEqual(3);
    expect(gated.gated).toBe(false);
    expect(gated.faces).toEqual(alone);
  });

  it('lets wide shots through: each demo photo tiled 3x3 into a 1280x720 frame (faces a third the size) keeps every face SSD finds', async () => {
    for (const photo of ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg']) {
      const tile = await sharp(join(DEMO, photo)).resize(426, 240, { fit: 'contain', background: '#000000' }).toBuffer();
      const composites = Array.from({ length: 9 }, (_, i) => ({ input: tile, left: (i % 3) * 426, top: Math.floor(i / 3) * 240 }));
      const frame = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#000000' } })
        .composite(composites)
        .jpeg({ quality: 75 })
        .toBuffer();
      const alone = await engine.findFaces(frame);
      expect(alone.length).toBeGreaterThan(0);
      expect(await engine.findFacesInFrame(frame)).toEqual({ faces: alone, gated: false });
    }
  });

  it('skips a real film frame without faces (Big Buck Bunny at 5 s: clouds over trees); SSD finds none there either', async () => {
    const frame = filmFrame('big_buck_bunny_0_30.webm', 5);
    expect(await engine.findFaces(frame)).toEqual([]);
    expect(await engine.findFacesInFrame(frame)).toEqual({ faces: [], gated: true });
  });

  it('runs SSD on every frame when the gate is off', async () => {
    const ungated = await FaceApiEngine.create({ gateMinScore: false });
    expect(await ungated.findFacesInFrame(filmFrame('big_buck_bunny_0_30.webm', 5))).toEqual({ faces: [], gated: false });
  });
});
