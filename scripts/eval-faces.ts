/**
 * `npm run eval:faces [-- --sweep 0.90,0.92,0.94,0.945,0.95,0.96] [--eps 0.04,0.05,0.06]`
 * Precision and recall of person matching with the built-in face model on face-api's demo photos
 * (labelled in test/fixtures/face-api-demo-identities.json), at the configured FACE_MATCH_THRESHOLD
 * and FACE_MATCH_MARGIN, through the same rule the pipeline and the re-match job use (matchScenes).
 *
 * Every labelled identity is enrolled from one crop of the first photo it appears in. Probes are
 * every labelled face of every photo in several versions (as is, half size, brighter, darker,
 * JPEG quality 25, letterboxed into a 1280x720 frame as the test videos show them); each version
 * of a photo is one scene. Two rows: probes from OTHER photos than the enrolment (the real
 * re-identification; only the sure same-person pair of the set gives positives there) and the
 * enrolment photo's own versions (crop → whole photo, rescaled, re-lit, re-encoded); and, open
 * set, each person's faces against everyone else enrolled (any name given is wrong).
 * Also prints the similarity ranges that FACE_CLUSTER_EPS is chosen from, and its calibration on
 * real video: the GRID talking heads (test/fixtures/realmedia/faces, one speaker in two separate
 * recordings) tracked as the pipeline does, clustered at each `eps` (scripts/lib/face-calibration.ts).
 */
import 'reflect-metadata';
import { loadConfig } from '@heimdex/config';
import { matchScenes, SceneTrack } from '@heimdex/faces';
import { cosineSimilarity, DetectedFace, FaceEngine, KnownPerson, loadFaces } from '@heimdex/ml';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEMO_FACES, DEMO_IMAGES, DemoFace, demoPath } from './lib/face-demo';
import { printClusterCalibration } from './lib/face-cluster-calibration-report';

interface Probe {
  label: DemoFace;
  image: string;
  variant: string;
  descriptor: Float32Array;
}

const VARIANTS: { name: string; make: (path: string) => Promise<{ image: Buffer; scale: number; dx: number; dy: number }> }[] = [
  { name: 'as is', make: async (p) => ({ image: await sharp(p).toBuffer(), scale: 1, dx: 0, dy: 0 }) },
  { name: 'half size', make: async (p) => ({ image: await sharp(p).resize({ width: 960 }).jpeg({ quality: 90 }).toBuffer(), scale: 0.5, dx: 0, dy: 0 }) },
  { name: 'brighter', make: async (p) => ({ image: await sharp(p).modulate({ brightness: 1.3 }).jpeg({ quality: 90 }).toBuffer(), scale: 1, dx: 0, dy: 0 }) },
  { name: 'darker', make: async (p) => ({ image: await sharp(p).modulate({ brightness: 0.7 }).jpeg({ quality: 90 }).toBuffer(), scale: 1, dx: 0, dy: 0 }) },
  { name: 'jpeg q25', make: async (p) => ({ image: await sharp(p).jpeg({ quality: 25 }).toBuffer(), scale: 1, dx: 0, dy: 0 }) },
  {
    name: '1280x720 frame',
    make: async (p) => {
      const { width = 1, height = 1 } = await sharp(p).metadata();
      const scale = Math.min(1280 / width, 720 / height);
      const [w, h] = [Math.round(width * scale), Math.round(height * scale)];
      const [dx, dy] = [Math.floor((1280 - w) / 2), Math.floor((720 - h) / 2)];
      const image = await sharp(p)
        .resize(w, h)
        .extend({ left: dx, right: 1280 - w - dx, top: dy, bottom: 720 - h - dy, background: '#000000' })
        .jpeg({ quality: 75 })
        .toBuffer();
      return { image, scale, dx, dy };
    },
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sweep: { type: 'string', default: '0.90,0.92,0.93,0.94,0.945,0.95,0.96,0.97' },
      eps: { type: 'string', default: '0.03,0.04,0.05,0.06,0.07,0.08,0.10' },
    },
  });
  const root = mkdtempSync(join(tmpdir(), 'heimdex-eval-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({ rootDir: root, env: { ...process.env, LOG_LEVEL: 'silent' } });
  const loaded = await loadFaces(config);
  if (!loaded.available) throw new Error(loaded.reason);
  const engine = loaded.engine;
  const rule = { threshold: config.ml.faceMatchThreshold, margin: config.ml.faceMatchMargin };
  const t0 = Date.now();

  // Enrolment: one crop per identity, from the first photo it is in.
  const gallery: KnownPerson[] = [];
  const enrolledFrom = new Map<string, string>();
  for (const identity of [...new Set(DEMO_FACES.map((f) => f.identity))]) {
    const label = DEMO_FACES.find((f) => f.identity === identity)!;
    const descriptor = await enrolFromCrop(engine, label);
    if (!descriptor) {
      console.log(`  ${identity}: the crop of ${label.image} did not show exactly one face; not enrolled`);
      continue;
    }
    gallery.push({ personId: identity, exemplars: [descriptor] });
    enrolledFrom.set(identity, label.image);
  }

  const probes: Probe[] = [];
  const scenes: SceneTrack[] = [];
  for (const image of DEMO_IMAGES) {
    for (const v of VARIANTS) {
      const made = await v.make(demoPath(image));
      const found = await engine.detect(made.image);
      for (const label of DEMO_FACES.filter((f) => f.image === image)) {
        const at: [number, number] = [label.centre[0] * made.scale + made.dx, label.centre[1] * made.scale + made.dy];
        const face = nearest(found, at, 40 * made.scale + 4);
        if (!face) continue;
        probes.push({ label, image, variant: v.name, descriptor: face.descriptor });
        scenes.push({ sceneId: `${image}/${v.name}`, descriptor: face.descriptor });
      }
    }
  }
  const expected = DEMO_FACES.length * VARIANTS.length;
  console.log(
    `\n${gallery.length} people enrolled (one crop each), ${probes.length} of ${expected} labelled probe faces detected, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
  );

  const rows = [...new Set([rule.threshold, ...values.sweep!.split(',').map(Number)])].sort((a, b) => a - b);
  const enrolled = (p: Probe) => enrolledFrom.has(p.label.identity);
  const crossPhoto = (p: Probe) => enrolled(p) && enrolledFrom.get(p.label.identity) !== p.image && p.label.sure !== false;
  const samePhoto = (p: Probe) => enrolled(p) && enrolledFrom.get(p.label.identity) === p.image;
  console.log(`margin ${rule.margin}. precision = right names / names given; recall = right names / faces of enrolled people;`);
  console.log("unknown: each person's faces matched with everyone else enrolled but them (any name is wrong)\n");
  console.log('threshold | other photos (sure pairs)     | enrolment photo, other versions | unknown people      | all: precision recall');
  console.log('          | TP  FP  FN  precis. recall    | TP  FP  FN  precis. recall      | faces named wrongly |');
  for (const threshold of rows) {
    const r = { threshold, margin: rule.margin };
    const matches = matchScenes(scenes, gallery, r);
    const other = score(probes, matches, crossPhoto);
    const same = score(probes, matches, samePhoto);
    // Open set: each identity in turn left out of the gallery.
    let unknownNamed = 0;
    let unknownFaces = 0;
    for (const person of gallery) {
      const without = gallery.filter((g) => g !== person);
      const own = matchScenes(scenes, without, r);
      probes.forEach((p, i) => {
        if (p.label.identity !== person.personId) return;
        unknownFaces++;
        if (own[i]) unknownNamed++;
        if (own[i] && process.env.EVAL_DEBUG)
          console.log(`    ${p.label.identity} (${p.image}, ${p.variant}) named ${own[i]!.personId} at ${own[i]!.similarity.toFixed(4)}`);
      });
    }
    const tp = other.tp + same.tp;
    const fp = other.fp + same.fp + unknownNamed;
    const fn = other.fn + same.fn;
    const mark = threshold === rule.threshold ? '  <- default' : '';
    console.log(
      `${threshold.toFixed(3).padEnd(9)} | ${fmt(other)}    | ${fmt(same)}      | ${`${unknownNamed} of ${unknownFaces}`.padEnd(19)} | ${pct(tp / (tp + fp)).padStart(9)} ${pct(tp / (tp + fn)).padStart(6)}${mark}`,
    );
  }

  // FACE_CLUSTER_EPS: how close the same face comes to itself across versions, and different people to each other.
  const sims = { sameFaceOtherVersion: [] as number[], samePersonOtherPhoto: [] as number[], differentPeople: [] as number[] };
  for (let i = 0; i < probes.length; i++) {
    for (let j = i + 1; j < probes.length; j++) {
      const [a, b] = [probes[i], probes[j]];
      const s = cosineSimilarity(a.descriptor, b.descriptor);
      if (a.label === b.label) sims.sameFaceOtherVersion.push(s);
      else if (a.label.identity === b.label.identity) {
        if (a.label.sure !== false) sims.samePersonOtherPhoto.push(s);
      } else sims.differentPeople.push(s);
    }
  }
  const range = (xs: number[]) =>
    xs.length ? `min ${Math.min(...xs).toFixed(4)}  median ${median(xs).toFixed(4)}  max ${Math.max(...xs).toFixed(4)}  (${xs.length} pairs)` : 'none';
  console.log('\ncosine similarity between probe faces');
  console.log(`  same face, other version:   ${range(sims.sameFaceOtherVersion)}`);
  console.log(`  same person, other photo:   ${range(sims.samePersonOtherPhoto)}`);
  console.log(`  different people:           ${range(sims.differentPeople)}`);
  console.log(`  FACE_CLUSTER_EPS=${config.ml.faceClusterEps} joins faces at similarity >= ${(1 - config.ml.faceClusterEps).toFixed(3)}`);

  await printClusterCalibration(engine, config.ml.faceMatchThreshold, config.ml.faceClusterEps, config.ml.faceClusterMinSize, values.eps!);
  process.exit(0);
}

/**
 * A crop around the face, as a user would send: the detector needs some context, so the first of
 * a few framings (2.5× the face box, wider, then tighter) that shows exactly this one face is used.
 */
async function enrolFromCrop(engine: FaceEngine, label: DemoFace): Promise<Float32Array | null> {
  const path = demoPath(label.image);
  const face = nearest(await engine.detect(await sharp(path).toBuffer()), label.centre, 40);
  if (!face) return null;
  const { width = 0, height = 0 } = await sharp(path).metadata();
  const [cx, cy] = [face.box.x + face.box.width / 2, face.box.y + face.box.height / 2];
  for (const factor of [2.5, 3, 4, 2, 1.6]) {
    const side = Math.min(width, height, Math.round(Math.max(face.box.width, face.box.height) * factor));
    const left = Math.max(0, Math.min(width - side, Math.round(cx - side / 2)));
    const top = Math.max(0, Math.min(height - side, Math.round(cy - side / 2)));
    const found = await engine.detect(await sharp(path).extract({ left, top, width: side, height: side }).jpeg({ quality: 92 }).toBuffer());
    // Exactly one face, and the one asked for (not a neighbour caught in the frame).
    if (found.length === 1 && nearest(found, [cx - left, cy - top], face.box.width / 2)) return found[0].descriptor;
  }
  return null;
}

function nearest(found: DetectedFace[], [x, y]: [number, number], within: number): DetectedFace | null {
  let best: DetectedFace | null = null;
  let bestD = within;
  for (const f of found) {
    const d = Math.hypot(f.box.x + f.box.width / 2 - x, f.box.y + f.box.height / 2 - y);
    if (d < bestD) [best, bestD] = [f, d];
  }
  return best;
}

function score(probes: Probe[], matches: ({ personId: string } | null)[], include: (p: Probe) => boolean): { tp: number; fp: number; fn: number } {
  const out = { tp: 0, fp: 0, fn: 0 };
  probes.forEach((p, i) => {
    if (!include(p)) return;
    const named = matches[i]?.personId ?? null;
    if (named === p.label.identity) out.tp++;
    else {
      out.fn++;
      if (named) out.fp++;
    }
  });
  return out;
}

function fmt({ tp, fp, fn }: { tp: number; fp: number; fn: number }): string {
  const precision = tp + fp ? tp / (tp + fp) : NaN;
  const recall = tp + fn ? tp / (tp + fn) : NaN;
  return `${String(tp).padStart(3)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}  ${pct(precision).padStart(7)} ${pct(recall).padStart(6)}`;
}

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
