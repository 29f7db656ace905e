/**
 * `npm run eval:objects [-- --thresholds 0.15,0.2,0.25,0.3,0.4] [--dir /work/shared/realmedia/objects]`
 * Precision and recall per label of the built-in object detector (CenterNet, vision_objects) on
 * real photos: the camera-trap and truck photos of realmedia/objects (labels from their file
 * names, README there) and face-api's demo photos (people). Each photo is judged as the pipeline
 * judges a scene: a label counts as seen when one detection reaches the threshold. Labels not in
 * any photo's ground truth are counted under "other" (a wrong label, or an object nobody
 * labelled), not as false positives of a labelled class. Each photo is also shown as a 1280x720
 * video frame (letterboxed, WebP), as the analysis frames reach the detector.
 */
import 'reflect-metadata';
import { CenterNetDetector } from '@heimdex/ml';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEMO_IMAGES, demoPath } from './lib/face-demo';

interface Photo {
  path: string;
  truth: string[];
}

function photos(dir: string): Photo[] {
  const real: Photo[] = [
    { path: join(dir, 'cameratrapai_african_elephants.jpg'), truth: ['elephant'] },
    { path: join(dir, 'cameratrapai_american_black_bear.jpg'), truth: ['bear'] },
    { path: join(dir, 'cameratrapai_domestic_dog.jpg'), truth: ['dog'] },
    // A pickup truck: COCO files pickups under truck.
    { path: join(dir, 'cameratrapai_vehicle.jpg'), truth: ['truck'] },
    { path: join(dir, 'sam2_truck.jpg'), truth: ['truck'] },
    { path: join(dir, 'skimage_astronaut.png'), truth: ['person'] },
  ].filter((p) => existsSync(p.path));
  return [...real, ...DEMO_IMAGES.map((name) => ({ path: demoPath(name), truth: ['person'] }))];
}

const asVideoFrame = (path: string) => sharp(path).resize(1280, 720, { fit: 'contain', background: '#000000' }).webp({ quality: 85 }).toBuffer();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { thresholds: { type: 'string', default: '0.15,0.2,0.25,0.3,0.4' }, dir: { type: 'string', default: '/work/shared/realmedia/objects' } },
  });
  const thresholds = values.thresholds.split(',').map(Number);
  const set = photos(values.dir);
  const detector = await CenterNetDetector.create({ minConfidence: Math.min(...thresholds) });
  console.log(`eval:objects: ${detector.model.name} ${detector.model.version} on ${set.length} real photos × 2 views (photo, 1280x720 video frame)\n`);

  // Per view of each photo: the best score per label.
  const views: { truth: string[]; best: Map<string, number> }[] = [];
  for (const photo of set) {
    for (const image of [await sharp(photo.path).toBuffer(), await asVideoFrame(photo.path)]) {
      const best = new Map<string, number>();
      for (const d of await detector.detect(image)) best.set(d.label, Math.max(best.get(d.label) ?? 0, d.score));
      views.push({ truth: photo.truth, best });
      console.log(
        `  ${photo.path.split('/').pop()!.padEnd(40)} truth ${photo.truth.join(',').padEnd(9)} seen ${[...best]
          .sort((a, b) => b[1] - a[1])
          .map(([l, s]) => `${l} ${s.toFixed(2)}`)
          .join(', ')}`,
      );
    }
  }

  const labels = [...new Set(set.flatMap((p) => p.truth))].sort();
  for (const t of thresholds) {
    console.log(`\nthreshold ${t}`);
    console.log('label      views  TP  FP  FN  precision  recall');
    let other = 0;
    for (const label of labels) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const v of views) {
        const seen = (v.best.get(label) ?? 0) >= t;
        const there = v.truth.includes(label);
        if (seen && there) tp++;
        else if (seen) fp++;
        else if (there) fn++;
      }
      const p = tp + fp ? (tp / (tp + fp)).toFixed(2) : '  - ';
      const r = tp + fn ? (tp / (tp + fn)).toFixed(2) : '  - ';
      console.log(
        `${label.padEnd(10)} ${String(views.filter((v) => v.truth.includes(label)).length).padStart(5)} ${String(tp).padStart(3)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}  ${p.padStart(9)}  ${r.padStart(6)}`,
      );
    }
    for (const v of views) for (const [label, score] of v.best) if (!labels.includes(label) && score >= t) other++;
    console.log(`other labels seen (not in any ground truth): ${other}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
