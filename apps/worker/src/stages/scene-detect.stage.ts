import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, Scene, SceneFrame, Video } from '@heimdex/db';
import { FfmpegBinaries, pickFrames, planScenes, runScenePass } from '@heimdex/media';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FFMPEG_BINARIES } from '../media/media.providers';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';

/** Candidate frames per second from the decode pass; the visual stages choose among them. */
const FRAMES_PER_SECOND = 2;
const MAX_FRAME_SIDE = 1280;
/** One more kept frame per this many seconds of a long scene. */
const FRAME_EVERY_S = 8;

/**
 * scene_detect: the video's one picture decode. Shot cuts become scenes (with minimum and
 * maximum lengths); the frames the visual stages need are kept in storage from the same pass.
 * Re-running replaces the video's scenes (and, by cascade, their faces) in one transaction.
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
    const { cutThreshold, minS, maxS, framesPerSceneMax } = this.config.scenes;
    const source = join(workDir, 'source');
    const framesDir = join(workDir, 'frames');
    await mkdir(framesDir);
    await this.storage.downloadToFile(video.storageKey, source);
    const pass = await runScenePass(this.bins, source, framesDir, { cutThreshold, framesPerSecond: FRAMES_PER_SECOND, maxFrameSide: MAX_FRAME_SIDE }, mediaLimits);

    const durationS = video.durationS ?? pass.frames.length / FRAMES_PER_SECOND;
    const spans = planScenes(pass.cuts, durationS, { minS, maxS });
    if (!spans.length) throw new PermanentStageError('no scenes: the video has no decodable frames');
    const picks = pickFrames(spans, pass.frames.map((f) => f.timeS), { maxPerScene: framesPerSceneMax, everyS: FRAME_EVERY_S, marginS: 0.25 });
    const byTime = new Map(pass.frames.map((f) => [f.timeS, f.path]));

    await this.storage.deletePrefix(videoKeys.framesPrefix(video.userId, video.id));
    const frames: SceneFrame[][] = [];
    for (const [index, times] of picks.entries()) {
      const kept: SceneFrame[] = [];
      for (const timeS of times) {
        const key = videoKeys.frame(video.userId, video.id, index, timeS);
        await this.storage.put(key, await readFile(byTime.get(timeS)!), { contentType: 'image/jpeg' });
        kept.push({ timeS, key });
      }
      frames.push(kept);
    }

    await write(async (tx) => {
      await tx.nativeDelete(Scene, { video: video.id });
      spans.forEach((span, index) => {
        const scene = new Scene();
        Object.assign(scene, { video: tx.getReference(Video, video.id), userId: video.userId, index, ...span, frames: frames[index] });
        tx.persist(scene);
      });
    });
    const cuts = spans.length - 1;
    return {
      status: 'completed',
      model: { name: 'ffmpeg-scene-score', version: `threshold=${cutThreshold}` },
      note: `${spans.length} scene(s) from ${pass.cuts.length} cut(s) (${cuts} kept), ${frames.flat().length} frame(s) kept from one decode`,
    };
  }
}
