import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Face, FaceSource, JobStage, JobState, PipelineJob, Scene, SceneTag } from '@heimdex/db';
import { LoudnessSeries, meanLoudness } from '@heimdex/media';
import { videoKeys } from '@heimdex/storage';
import { ModelEngines } from '../models/model-engines';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { clipMoodTags, expressionTags, loudnessTags, MOOD_PROMPTS } from './affect-tags';

const LOUDNESS_MODEL = { name: 'ebur128-momentary', version: '1' };

/**
 * vision_affect_tags: mood tags per scene from three real signals, each where it exists: CLIP
 * zero-shot over a mood vocabulary, the expressions of the faces found, and audio loudness.
 */
@Injectable()
export class VisionAffectTagsStage implements PipelineStage {
  readonly stage = JobStage.VisionAffectTags;

  constructor(
    private readonly models: ModelEngines,
    private readonly orm: MikroORM,
    private readonly artifacts: StageArtifacts,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const em = this.orm.em.fork();
    const clip = this.models.clip;
    const faceRows = await em.find(Face, { video: video.id, source: FaceSource.Detection, expressions: { $ne: null } });
    const faceModel = await em.findOne(PipelineJob, { video: video.id, stage: JobStage.FacesEnrollMatch, state: JobState.Completed });
    const loudness = await this.artifacts.getJson<LoudnessSeries>(videoKeys.loudness(video.userId, video.id));
    const prompts = clip.available
      ? await clip.engine.embedTexts(Object.values(MOOD_PROMPTS)).then((vs) => Object.keys(MOOD_PROMPTS).map((tag, i) => ({ tag, vector: vs[i] })))
      : [];

    const signals = [
      clip.available ? 'CLIP' : `no CLIP (${clip.reason})`,
      faceModel ? 'face expressions' : 'no face expressions',
      loudness ? 'loudness' : 'no audio loudness',
    ];
    const tagged = await write(async (tx) => {
      let count = 0;
      for (const scene of await tx.find(Scene, { video: video.id })) {
        const tags: SceneTag[] = [];
        if (clip.available && scene.visualEmbedding) tags.push(...clipMoodTags(scene.visualEmbedding, prompts, clip.engine.model));
        if (faceModel?.model) {
          const expressions = faceRows.filter((f) => f.scene?.id === scene.id).map((f) => f.expressions ?? {});
          tags.push(...expressionTags(expressions, faceModel.model));
        }
        if (loudness) tags.push(...loudnessTags(meanLoudness(loudness, scene.startS, scene.endS), LOUDNESS_MODEL));
        scene.tagScores = tags;
        scene.tags = [...new Set(tags.map((t) => t.tag))];
        if (tags.length) count += 1;
      }
      return count;
    });
    return {
      status: 'completed',
      model: clip.available ? clip.engine.model : LOUDNESS_MODEL,
      note: `${tagged} scene(s) tagged; signals: ${signals.join(', ')}`,
    };
  }
}
