/**
 * `npm run eval:moderation [-- --dir /work/shared/realmedia] [--as-shipped]`
 * False positives of content moderation (vision_moderation: nsfwjs MobileNetV2) on real media
 * that is all safe: every photo under the realmedia folder (objects/, …) and frames of every video
 * there (one per second, as the analysis frames reach the classifier); the count of those rated
 * anything but safe must be 0 (exit code 1 otherwise). Also shown, not counted: face-api's demo
 * photos (people posing in evening wear, nothing explicit), where nsfwjs's "sexy" class is high.
 * Prints each item's strictest rating and its highest porn / hentai / sexy scores, then the count
 * rated questionable or explicit at the configured thresholds (MODERATION_*_THRESHOLD), and how
 * far below the thresholds the set stays. No explicit material is used or needed. `--as-shipped` runs the
 * model as nsfwjs ships it, on tfjs, instead of the worker's onnxruntime rewrite (to compare outputs).
 */
import 'reflect-metadata';
import { loadConfig } from '@heimdex/config';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { contentRating, ModerationScores, NsfwClassifier, worstRating } from '@heimdex/ml';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_IMAGES, demoPath } from './lib/face-demo';
import { nsfwjsAsShipped } from './lib/nsfwjs-as-shipped';

const PHOTO = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const VIDEO = new Set(['.mpg', '.mp4', '.mkv', '.webm', '.mov', '.avi']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dir: { type: 'string', default: '/work/shared/realmedia' }, 'as-shipped': { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const t = config.ml.moderation;
  const ffmpeg = resolveFfmpegBinaries(config.media).ffmpeg;
  const classifier = values['as-shipped'] ? await nsfwjsAsShipped() : await NsfwClassifier.create();
  const files = walk(values.dir).sort();
  const items: { name: string; frames: Buffer[]; counted: boolean }[] = [];
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (PHOTO.has(ext)) items.push({ name: relative(values.dir, f), frames: [readFileSync(f)], counted: true });
    if (VIDEO.has(ext)) {
      const out = mkdtempSync(join(tmpdir(), 'eval-moderation-'));
      execFileSync(ffmpeg, ['-v', 'error', '-i', f, '-vf', 'fps=1', join(out, '%03d.png')]);
      items.push({
        name: `${relative(values.dir, f)} (${readdirSync(out).length} frames)`,
        frames: readdirSync(out)
          .sort()
          .map((p) => readFileSync(join(out, p))),
        counted: true,
      });
    }
  }
  for (const name of DEMO_IMAGES) items.push({ name: `face-api demo/${name} (not counted)`, frames: [readFileSync(demoPath(name))], counted: false });

  console.log(
    `eval:moderation: nsfwjs MobileNetV2${values['as-shipped'] ? ' as shipped, on tfjs' : ', rewritten for onnxruntime'}; explicit: porn+hentai ≥ ${t.explicit}, questionable: porn+hentai+sexy ≥ ${t.questionable}\n`,
  );
  let flagged = 0;
  let counted = 0;
  let frames = 0;
  let worstExplicit = 0;
  let worstQuestionable = 0;
  for (const item of items) {
    const scores: ModerationScores[] = [];
    for (const frame of item.frames) scores.push(await classifier.classify(frame));
    const rating = worstRating(scores.map((s) => contentRating(s, t)));
    const explicit = Math.max(...scores.map((s) => s.porn + s.hentai));
    const questionable = Math.max(...scores.map((s) => s.porn + s.hentai + s.sexy));
    console.log(`  ${rating!.padEnd(12)} porn+hentai ${explicit.toFixed(3)}  +sexy ${questionable.toFixed(3)}  ${item.name}`);
    if (!item.counted) continue;
    frames += scores.length;
    counted++;
    worstExplicit = Math.max(worstExplicit, explicit);
    worstQuestionable = Math.max(worstQuestionable, questionable);
    if (rating !== 'safe') flagged++;
  }
  console.log(`\nreal media: ${counted} items (${frames} pictures), ${flagged} rated questionable or explicit (false positives: all of it is safe)`);
  console.log(
    `highest porn+hentai ${worstExplicit.toFixed(3)} (explicit threshold ${t.explicit}); highest porn+hentai+sexy ${worstQuestionable.toFixed(3)} (questionable threshold ${t.questionable})`,
  );
  if (flagged) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
