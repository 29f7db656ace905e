import { findProjectRoot } from '@heimdex/config';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** face-api's demo photos (shipped in its npm package): real faces, 3–5 per photo, labelled in test/fixtures. */
export const DEMO_DIR = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
export const DEMO_IMAGES = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];

export interface DemoFace {
  image: string;
  /** Approximate centre of the face in the upright photo, in pixels. */
  centre: [number, number];
  identity: string;
  /** false: judged likely the same person as the other faces of this identity, not certain. */
  sure?: boolean;
}

export const DEMO_FACES: DemoFace[] = (
  JSON.parse(readFileSync(join(findProjectRoot(), 'test/fixtures/face-api-demo-identities.json'), 'utf8')) as { faces: DemoFace[] }
).faces;

export const demoPath = (image: string) => join(DEMO_DIR, image);

export function demoFace(image: string, identity: string): DemoFace {
  const face = DEMO_FACES.find((f) => f.image === image && f.identity === identity);
  if (!face) throw new Error(`no labelled ${identity} in ${image}`);
  return face;
}

/** A JPEG of a square of `side` pixels centred on a labelled face (clamped to the photo). */
export async function cropAround(face: DemoFace, side: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(demoPath(face.image)).metadata();
  const left = Math.max(0, Math.min(width - side, Math.round(face.centre[0] - side / 2)));
  const top = Math.max(0, Math.min(height - side, Math.round(face.centre[1] - side / 2)));
  return sharp(demoPath(face.image)).extract({ left, top, width: side, height: side }).jpeg({ quality: 92 }).toBuffer();
}
