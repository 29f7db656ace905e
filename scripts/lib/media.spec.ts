import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { media } from './media';

/** Generated clips are made once per ffmpeg build and arguments, then copied (test files share them). */
describe('media (generated test clips)', () => {
  const cacheDir = join(tmpdir(), 'heimdex-media-cache');
  const size = `${320 + 2 * (process.pid % 50)}x240`; // arguments no other run of this file has used lately

  it('makes a clip once, then copies the same bytes without running ffmpeg again', () => {
    const first = readFileSync(media.video(1, size));
    const cached = readdirSync(cacheDir).map((f) => join(cacheDir, f));
    const newest = cached.reduce((a, b) => (statSync(a).mtimeMs >= statSync(b).mtimeMs ? a : b));
    expect(readFileSync(newest).equals(first)).toBe(true);
    const made = statSync(newest).mtimeMs;

    const again = readFileSync(media.video(1, size));
    expect(again.equals(first)).toBe(true);
    expect(statSync(newest).mtimeMs).toBe(made);
  });

  it('keys on the input files’ bytes, not only their names', async () => {
    const picture = join(mkdtempSync(join(tmpdir(), 'heimdex-media-spec-')), 'picture.png');
    const shot = () => readFileSync(media.shots({ name: 'cache-key', audio: 'none', size: '64x64', shots: [{ seconds: 1, image: picture }] }));
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } })
      .png()
      .toFile(picture);
    const red = shot();
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0000ff' } })
      .png()
      .toFile(picture);
    expect(shot().equals(red)).toBe(false);
  });
});
