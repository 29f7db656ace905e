import { Injectable } from '@nestjs/common';
import { JobStage, Scene } from '@heimdex/db';
import { ModelCadence, pictureSignature } from '@heimdex/media';
import { callTimesNote, ModelCallTimes } from '@heimdex/ml';
import { ModelEngines } from '../models/model-engines';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { FrameObjects, sceneObjects } from './scene-objects';
import { SceneFrames } from './scene-frames';

/**
 * vision_objects: COCO objects on the analysis frames scene_detect kept (no second decode) where
 * the picture changed since the scene's previous detection (ModelCadence); per scene each label
 * with its best confidence, most instances in one frame and first time seen. Re-running replaces
 * the video's objects.
 */
@Injectable()
export class VisionObjectsStage implements PipelineStage {
  readonly stage = JobStage.VisionObjects;

  constructor(
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const detector = await this.models.objects();
    if (!detector.available) return { status: 'skipped', reason: detector.reason };
    const { engine } = detector;
    const found = new Map<string, ReturnType<typeof sceneObjects>>();
    let [frames, detected] = [0, 0];
    const times = new ModelCallTimes();
    for (const scene of await this.frames.scenes(video.id)) {
      const perFrame: FrameObjects[] = [];
      const cadence = new ModelCadence();
      for (const frame of await this.frames.load(scene)) {
        frames += 1;
        if (!cadence.due(frame.timeS, await pictureSignature(frame.image))) continue;
        detected += 1;
        perFrame.push({ frameS: frame.timeS, objects: await times.time(() => engine.detect(frame.image)) });
      }
      found.set(scene.id, sceneObjects(perFrame));
    }
    await write(async (tx) => {
      for (const [id, objects] of found) await tx.nativeUpdate(Scene, { id, video: video.id }, { objects });
    });
    const labels = new Set([...found.values()].flatMap((o) => o.map((x) => x.label)));
    return {
      status: 'completed',
      model: engine.model,
      note:
        `${labels.size} object classes in ${found.size} scenes (confidence ≥ ${engine.minConfidence}); ` +
        `detector run on ${detected} of ${frames} analysis frame(s), the rest barely changed since the scene's previous run; ` +
        callTimesNote([['detector', times.perUnit('frame')]]),
    };
  }
}
