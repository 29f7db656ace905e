import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Box, DetectedFace, FaceEngine } from '../../libs/ml/src/engine-types';
import { assignFaces, cosineSimilarity, type KnownPerson } from '../../libs/ml/src/faces/face-similarity';
import { loadFaces } from '../../libs/ml/src/faces/load-faces';
import { UnsupportedImageError } from '../../libs/ml/src/faces/unsupported-image-error';
import { testConfig } from '../helpers/test-config';

const DEMO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const IMAGES = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];

interface Label {
  image: string;
  centre: [number, number];
  identity: string;
  sure?: boolean;
}
const LABELS = (JSON.parse(readFileSync(join(__dirname, '../fixtures/face-api-demo-identities.json'), 'utf8')) as { faces: Label[] }).faces;

/** The defaults proposed for FACE_MATCH_THRESHOLD / FACE_MATCH_MARGIN from these photos (see the calibration test). */
const PROPOSED_RULE = { threshold: 0.945, margin: 0.02 };

interface LabelledFace {
  label: Label;
  face: DetectedFace;
}

function centre(box: Box): [number, number] {
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** Each label's face among those found in its image: the one whose box centre is within 40 px. */
function labelFaces(image: string, found: DetectedFace[]): LabelledFace[] {
  return LABELS.filter((l) => l.image === image).map((label) => {
    const near = found.filter((f) => Math.hypot(centre(f.box)[0] - label.centre[0], centre(f.box)[1] - label.centre[1]) < 40);
    if (near.length !== 1) throw new Error(`${image}: ${near.length} faces near the labelled ${label.identity}`);
    return { label, face: near[0] };
  });
}

/** The face found nearest a point, with its distance. */
function nearest(found: DetectedFace[], [x, y]: [number, number]): { face: DetectedFace; distance: number } {
  return found
    .map((face) => ({ face, distance: Math.hypot(centre(face.box)[0] - x, centre(face.box)[1] - y) }))
    .reduce((a, b) => (b.distance < a.distance ? b : a));
}

async function animated(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = await Promise.all(
    ['#aa2222', '#22aa22', '#2222aa'].map((c) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  const joined = sharp(frames, { join: { animated: true } });
  return (format === 'gif' ? joined.gif() : joined.webp()).toBuffer();
}

describe('loadFaces', () => {
  it('is unavailable, saying why, when faces are switched off', async () => {
    expect(await loadFaces(testConfig({ FACES_ENABLED: 'false' }))).toEqual({
      available: false,
      reason: 'face detection is switched off (FACES_ENABLED=false)',
    });
  });

  it('is unavailable with the error when the weights cannot be read', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'heimdex-faces-')), 'no-weights');
    const loaded = await loadFaces(testConfig(), { modelDir: missing });
    expect(loaded.available).toBe(false);
    if (!loaded.available) {
      expect(loaded.reason).toMatch(/^face models failed to load: /);
      expect(loaded.reason).toContain(missing);
    }
  });
});

describe('FaceApiEngine on the face-api demo photos', () => {
  let engine: FaceEngine;
  const found = new Map<string, DetectedFace[]>();
  const labelled: LabelledFace[] = [];
  const bytes = (image: string) => readFileSync(join(DEMO, image));

  beforeAll(async () => {
    const loaded = await loadFaces(testConfig());
    if (!loaded.available) throw new Error(loaded.reason);
    engine = loaded.engine;
    for (const image of IMAGES) {
      const faces = await engine.detect(bytes(image));
      found.set(image, faces);
      labelled.push(...labelFaces(image, faces));
    }
  }, 120_000);

  it('names its model after the face-api package', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('@vladmandic/face-api/package.json'), 'utf8')) as { version: string };
    expect(engine.model).toEqual({ name: 'face-api-ssd-resnet128', version: `${pkg.version}+level1` });
    expect(engine.dims).toBe(128);
  });

  it('finds every face in each photo and no others', () => {
    expect(IMAGES.map((i) => found.get(i)!.length)).toEqual([3, 3, 3, 4, 5, 4]);
  });

  it('gives boxes inside the image, scores, unit 128-d descriptors and expression probabilities', async () => {
    for (const image of IMAGES) {
      const { width, height } = await sharp(bytes(image)).metadata();
      for (const f of found.get(image)!) {
        expect(f.box.x).toBeGreaterThanOrEqual(0);
        expect(f.box.y).toBeGreaterThanOrEqual(0);
        expect(f.box.x + f.box.width).toBeLessThanOrEqual(width);
        expect(f.box.y + f.box.height).toBeLessThanOrEqual(height);
        expect(f.box.width).toBeGreaterThan(100);
        expect(f.score).toBeGreaterThanOrEqual(0.5);
        expect(f.score).toBeLessThanOrEqual(1);
        expect(f.descriptor).toHaveLength(128);
        expect(Math.hypot(...f.descriptor)).toBeCloseTo(1, 5);
        expect(Object.keys(f.expressions).sort()).toEqual(['angry', 'disgusted', 'fearful', 'happy', 'neutral', 'sad', 'surprised']);
        expect(Object.values(f.expressions).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      }
    }
    // sample3: two smile at the camera, one pouts.
    const happy = (identity: string) => labelled.find((l) => l.label.image === 'sample3.jpg' && l.label.identity === identity)!.face.expressions.happy;
    expect(happy('strawberry-blonde')).toBeGreaterThan(0.9);
    expect(happy('sample3-red-lips')).toBeGreaterThan(0.9);
    expect(happy('sample3-curly-blonde')).toBeLessThan(0.5);
  });

  it('finds faces without describing them, and describes given faces as detect does, across a structured clone', async () => {
    for (const image of ['sample2.jpg', 'sample5.jpg']) {
      const faces = await engine.findFaces(bytes(image));
      expect(faces.map((f) => f.box)).toEqual(found.get(image)!.map((f) => f.box));
      for (const f of faces) expect(f.landmarks).toHaveLength(68);
      // What a worker-thread proxy would pass: a clone of the arguments, a clone of the result.
      const described = structuredClone(await engine.describeFaces(bytes(image), structuredClone(faces)));
      described.forEach((d, i) => {
        expect(cosineSimilarity(d.descriptor, found.get(image)![i].descriptor)).toBeGreaterThan(0.9999);
        expect(d.expressions.happy).toBeCloseTo(found.get(image)![i].expressions.happy, 4);
      });
    }
    expect(await engine.describeFaces(bytes('sample1.jpg'), [])).toEqual([]);
  });

  it('does not keep tensors between calls', async () => {
    const image = bytes('sample2.jpg');
    await engine.detect(image);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await engine.detect(image);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives concurrent calls each their own image’s faces', async () => {
    const results = await Promise.all(['sample5.jpg', 'sample1.jpg', 'sample4.jpg'].map((i) => engine.detect(bytes(i))));
    expect(results.map((r) => r.length)).toEqual([5, 3, 4]);
    expect(cosineSimilarity(results[1][0].descriptor, found.get('sample1.jpg')![0].descriptor)).toBeGreaterThan(0.9999);
  });

  describe('identity', () => {
    const sure = () => labelled.filter((l) => l.label.sure !== false);
    const pairs = () => {
      const faces = sure();
      const same: number[] = [];
      const different: number[] = [];
      for (let i = 0; i < faces.length; i++) {
        for (let j = i + 1; j < faces.length; j++) {
          (faces[i].label.identity === faces[j].label.identity ? same : different).push(cosineSimilarity(faces[i].face.descriptor, faces[j].face.descriptor));
        }
      }
      return { same, different };
    };

    it('finds the same person in two photos more alike than any two different people', () => {
      const { same, different } = pairs();
      expect(same).toHaveLength(1);
      expect(different.length).toBeGreaterThan(180);
      expect(Math.min(...same)).toBeGreaterThan(Math.max(...different));
    });

    it('calibration: the proposed rule separates them, and names no one wrongly photo by photo', () => {
      const { same, different } = pairs();
      expect(Math.min(...same)).toBeGreaterThanOrEqual(PROPOSED_RULE.threshold);
      expect(Math.max(...different)).toBeLessThan(PROPOSED_RULE.threshold);
      // Each photo against people enrolled from the other five (all labels, the unsure pair too).
      let right = 0;
      for (const image of IMAGES) {
        const others = labelled.filter((l) => l.label.image !== image);
        const people: KnownPerson[] = [...new Set(others.map((o) => o.label.identity))].map((personId) => ({
          personId,
          exemplars: others.filter((o) => o.label.identity === personId).map((o) => o.face.descriptor),
        }));
        const here = labelled.filter((l) => l.label.image === image);
        const matches = assignFaces(
          here.map((h) => h.face.descriptor),
          people,
          PROPOSED_RULE,
        );
        matches.forEach((m, i) => {
          if (m) expect(m.personId).toBe(here[i].label.identity);
          if (m) right++;
        });
      }
      // The sure pair, found from both sides.
      expect(right).toBeGreaterThanOrEqual(2);
    });
  });

  describe('robustness', () => {
    const people = (): KnownPerson[] =>
      [...new Set(labelled.map((l) => l.label.identity))].map((personId) => ({
        personId,
        exemplars: labelled.filter((l) => l.label.identity === personId).map((l) => l.face.descriptor),
      }));
    const original = (image: string, identity: string) => labelled.find((l) => l.label.image === image && l.label.identity === identity)!;

    it('applies EXIF orientation: a photo stored on its side and tagged as such gives the same faces', async () => {
      const upright = bytes('sample1.jpg');
      const { width } = await sharp(upright).metadata();
      const sideways = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
      expect((await sharp(sideways).metadata()).height).toBe(width);
      const faces = await engine.detect(sideways);
      expect(faces).toHaveLength(3);
      for (const f of found.get('sample1.jpg')!) {
        const { face, distance } = nearest(faces, centre(f.box));
        expect(distance).toBeLessThan(8);
        expect(cosineSimilarity(face.descriptor, f.descriptor)).toBeGreaterThan(0.99);
      }
    });

    it('still knows a face when cropped, scaled down, brightened or re-encoded at low JPEG quality', async () => {
      const target = original('sample3.jpg', 'strawberry-blonde');
      const [cx, cy] = centre(target.face.box);
      const side = Math.round(target.face.box.width * 2.5);
      const crop = { left: Math.round(cx - side / 2), top: Math.round(cy - side / 2), width: side, height: side };
      const variants: { name: string; image: Buffer; at: [number, number] }[] = [
        { name: 'crop', image: await sharp(bytes('sample3.jpg')).extract(crop).png().toBuffer(), at: [side / 2, side / 2] },
        { name: 'half size', image: await sharp(bytes('sample3.jpg')).resize({ width: 960 }).jpeg({ quality: 90 }).toBuffer(), at: [cx / 2, cy / 2] },
        { name: 'brighter', image: await sharp(bytes('sample3.jpg')).modulate({ brightness: 1.3 }).jpeg({ quality: 90 }).toBuffer(), at: [cx, cy] },
        { name: 'jpeg q25', image: await sharp(bytes('sample3.jpg')).jpeg({ quality: 25 }).toBuffer(), at: [cx, cy] },
      ];
      for (const v of variants) {
        const { face, distance } = nearest(await engine.detect(v.image), v.at);
        // The detector's box moves with the framing; the descriptor, cut by landmarks, should not.
        expect({ variant: v.name, near: distance < target.face.box.width / 4 }).toEqual({ variant: v.name, near: true });
        expect({ variant: v.name, similar: cosineSimilarity(face.descriptor, target.face.descriptor) > 0.97 }).toEqual({ variant: v.name, similar: true });
        expect(assignFaces([face.descriptor], people(), PROPOSED_RULE)).toEqual([{ personId: 'strawberry-blonde', similarity: expect.any(Number) }]);
      }
    });
  });

  it('keeps one set of weights per process: a second folder is refused, with the reason', async () => {
    const loaded = await loadFaces(testConfig(), { modelDir: join(DEMO, 'elsewhere') });
    expect(loaded).toEqual({
      available: false,
      reason: expect.stringMatching(/^face models failed to load: face-api weights are already loaded from .+\/model;/),
    });
    expect((await loadFaces(testConfig())).available).toBe(true);
  });

  it('rejects what is not one still image with UnsupportedImageError', async () => {
    await expect(engine.detect(Buffer.from('definitely not pixels'))).rejects.toBeInstanceOf(UnsupportedImageError);
    await expect(engine.detect(Buffer.alloc(0))).rejects.toBeInstanceOf(UnsupportedImageError);
    for (const format of ['gif', 'webp'] as const) {
      const image = await animated(format);
      await expect(engine.detect(image)).rejects.toBeInstanceOf(UnsupportedImageError);
      await expect(engine.detect(image)).rejects.toThrow(`animated or multi-page images are not supported (${format} with 3 frames)`);
    }
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>');
    await expect(engine.detect(svg)).rejects.toThrow('svg images are not supported; use JPEG, PNG or WebP');
  });
});

const OBJECT_PHOTOS = process.env.HEIMDEX_REALMEDIA ?? '/work/shared/realmedia/objects';

/**
 * Real photos without people (camera-trap animals, vehicles; shared/realmedia objects): SSD finds
 * "faces" on the dog's head (0.21 whole, 0.22–0.49 on video frames of it), which the landmark
 * layout check (MIN_EYE_SPAN_OF_BOX) drops. The engine runs at a detector floor of 0.2 here so
 * that SSD does fire on them. Each photo whole, and letterboxed into a 1280x720 frame zoomed as
 * the test videos pan.
 */
describe('FaceApiEngine on photos without people', () => {
  let engine: FaceEngine;
  beforeAll(async () => {
    const loaded = await loadFaces(testConfig(), { minConfidence: 0.2 });
    if (!loaded.available) throw new Error(loaded.reason);
    engine = loaded.engine;
  }, 120_000);

  const photos = [
    'cameratrapai_domestic_dog.jpg',
    'cameratrapai_american_black_bear.jpg',
    'cameratrapai_african_elephants.jpg',
    'cameratrapai_vehicle.jpg',
    'sam2_truck.jpg',
  ];

  it.each(photos)(
    'finds no face on %s, whole or as zoomed video frames',
    async (photo) => {
      const path = join(OBJECT_PHOTOS, photo);
      const frames = [readFileSync(path)];
      for (const zoom of [1, 1.1, 1.2, 1.35]) {
        const frame = await sharp(path).resize(1280, 720, { fit: 'contain', background: '#000000' }).toBuffer();
        const [w, h] = [Math.round(1280 / zoom), Math.round(720 / zoom)];
        frames.push(
          await sharp(frame)
            .extract({ left: Math.floor((1280 - w) / 2), top: Math.floor((720 - h) / 2), width: w, height: h })
            .resize(1280, 720)
            .jpeg({ quality: 85 })
            .toBuffer(),
        );
      }
      const counts = await Promise.all(frames.map(async (f) => (await engine.findFaces(f)).length));
      expect(counts).toEqual(frames.map(() => 0));
    },
    120_000,
  );

  it('still finds the person of a real portrait (NASA astronaut)', async () => {
    expect(await engine.findFaces(readFileSync(join(OBJECT_PHOTOS, 'skimage_astronaut.png')))).toHaveLength(1);
  }, 60_000);
});
