import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, Scene, SceneFrame, Video } from '@heimdex/db';
import { FfmpegBinaries, pickFrames, planScenes, runScenePass, SceneSpan } from '@heimdex/media';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FFMPEG_BINARIES } from '../media/media.providers';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { downloadValidatedSource } from './validated-source';

const MAX_FRAME_SIDE = 1280;
/** One more summary frame per this many seconds of a long scene. */
const FRAME_EVERY_S = 8;

/**
 * scene_detect: the video's one picture decode. Shot cuts (Heimdex's own frame differences)
 * become scenes (with minimum and maximum lengths); the analysis frames every visual stage reads
 * are kept in storage from the same pass. Re-running replaces the video's scenes (and, by
 * cascade, their faces) in one transaction.
 */
@Injectable()
export class SceneDetectStage implements PipelineStage {
  readonly stage = JobStage.SceneDetect;

  constructor(
    @Inject(FFMPEG_BINARIES) private readonly bins: FfmpegBinaries,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run({ video, workDir, write, mediaLimits }: StageContext): Promise<StageResult> {
    const { cutThreshold, minS, maxS, framesPerSceneMax, decodeFps, sampleFps, duplicateBelow } = this.config.scenes;
    const source = join(workDir, 'source');
    const framesDir = join(workDir, 'frames');
    await mkdir(framesDir);
    await downloadValidatedSource(this.storage, video, source);
    const pass = await runScenePass(
      this.bins,
      source,
      framesDir,
      {
        cutThreshold,
        decodeFps,
        framesPerSecond: sampleFps,
        duplicateBelow,
        // Every part of a split long shot gets a frame even when nothing moves.
        forceEveryS: Math.min(10, maxS / 3),
        maxFrameSide: MAX_FRAME_SIDE,
      },
      mediaLimits,
    );

    const durationS = video.durationS ?? pass.durationS;
    const spans = planScenes(pass.cuts, durationS, { minS, maxS });
    if (!pass.decoded) throw new PermanentStageError('no scenes: the video stream decoded to no frame');
    if (!spans.length) throw new PermanentStageError(`no scenes: the video's duration (${durationS} s) is not positive`);
    const perScene = framesOfScenes(spans, pass.frames);
    const summaries = pickFrames(
      spans,
      pass.frames.map((f) => f.timeS),
      { maxPerScene: framesPerSceneMax, everyS: FRAME_EVERY_S, marginS: 0.25 },
    );

    await this.storage.deletePrefix(videoKeys.framesPrefix(video.userId, video.id));
    const frames: SceneFrame[][] = [];
    for (const [index, kept] of perScene.entries()) {
      const stored: SceneFrame[] = [];
      for (const frame of kept) {
        const key = videoKeys.frame(video.userId, video.id, index, frame.timeS);
        await this.storage.put(key, await readFile(frame.path), { contentType: 'image/jpeg' });
        const summary = summaries[index].indexOf(frame.timeS);
        stored.push(summary >= 0 ? { timeS: frame.timeS, key, summary } : { timeS: frame.timeS, key });
      }
      frames.push(stored);
    }

    await write(async (tx) => {
      await tx.nativeDelete(Scene, { video: video.id });
      spans.forEach((span, index) => {
        const scene = new Scene();
        Object.assign(scene, { video: tx.getReference(Video, video.id), userId: video.userId, index, ...span, frames: frames[index] });
        tx.persist(scene);
      });
    });
    const kept = spans.length - 1;
    const kinds = ['cut', 'gradual', 'fade'].map((k) => `${pass.cutDetails.filter((c) => c.kind === k).length} ${k}`).join(', ');
    return {
      status: 'completed',
      model: { name: 'heimdex-shot-detector', version: `1;threshold=${cutThreshold};ffmpeg=${this.bins.version}` },
      note:
        `${spans.length} scene(s) from ${pass.cuts.length} cut(s) (${kinds}; ${kept} kept); ` +
        `${pass.frames.length} frame(s) kept for analysis, ${pass.duplicates} skipped as near-duplicates, of ${pass.decoded} scored, from one decode ` +
        `(ffmpeg ${this.bins.version}, ${this.bins.source.ffmpeg})`,
    };
  }
}

/**
 * Each scene's analysis frames. A scene the pass kept no frame in (a short shot that looked like
 * the last kept frame) borrows the kept frame nearest to it, so every scene has a picture.
 */
export function framesOfScenes<F extends { timeS: number }>(spans: readonly SceneSpan[], frames: readonly F[]): F[][] {
  return spans.map((span) => {
    const inside = frames.filter((f) => f.timeS >= span.startS && f.timeS < span.endS);
    if (inside.length) return inside;
    const mid = (span.startS + span.endS) / 2;
    return [frames.reduce((best, f) => (Math.abs(f.timeS - mid) < Math.abs(best.timeS - mid) ? f : best))];
  });
}
