import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ContentRating, JobStage, Scene, SceneModeration, Video } from '@heimdex/db';
import { callTimesNote, contentRating, ContentRatingLevel, maxScores, ModelCallTimes, ModerationScores, worstRating } from '@heimdex/ml';
import { ModelEngines } from '../models/model-engines';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { SceneFrames } from './scene-frames';

/**
 * vision_moderation: nsfwjs's class scores on the analysis frames; a scene keeps per class its
 * highest score and the strictest rating of its frames, the video the strictest of its scenes
 * (thresholds MODERATION_EXPLICIT_THRESHOLD / MODERATION_QUESTIONABLE_THRESHOLD).
 */
@Injectable()
export class VisionModerationStage implements PipelineStage {
  readonly stage = JobStage.VisionModeration;

  constructor(
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const classifier = await this.models.moderation();
    if (!classifier.available) return { status: 'skipped', reason: classifier.reason };
    const { engine } = classifier;
    const thresholds = this.config.ml.moderation;
    const rated = new Map<string, { moderation: SceneModeration; contentRating: ContentRating | null }>();
    const times = new ModelCallTimes();
    for (const scene of await this.frames.scenes(video.id)) {
      const scores: ModerationScores[] = [];
      for (const frame of await this.frames.load(scene)) scores.push(await times.time(() => engine.classify(frame.image)));
      const rating = worstRating(scores.map((s) => contentRating(s, thresholds)));
      rated.set(scene.id, { moderation: maxScores(scores), contentRating: asRating(rating) });
    }
    const videoRating = asRating(worstRating([...rated.values()].flatMap((r) => (r.contentRating ? [r.contentRating as ContentRatingLevel] : []))));
    await write(async (tx) => {
      for (const [id, r] of rated) await tx.nativeUpdate(Scene, { id, video: video.id }, r);
      await tx.nativeUpdate(Video, { id: video.id }, { contentRating: videoRating });
    });
    const counts = [...rated.values()].reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.contentRating ?? 'unrated']: (acc[r.contentRating ?? 'unrated'] ?? 0) + 1 }),
      {},
    );
    return {
      status: 'completed',
      model: engine.model,
      note: `video ${videoRating ?? 'unrated'}; scenes: ${
        Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') || 'none'
      } (explicit ≥ ${thresholds.explicit}, questionable ≥ ${thresholds.questionable}); ${callTimesNote([['classifier', times.perUnit('frame')]])}`,
    };
  }
}

function asRating(level: ContentRatingLevel | null): ContentRating | null {
  return level === null ? null : (level as ContentRating);
}
