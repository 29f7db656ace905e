import { Injectable } from '@nestjs/common';
import { EMBEDDING_DIMENSIONS, JobStage, Scene } from '@heimdex/db';
import { meanDirection } from '@heimdex/ml';
import { ModelEngines } from '../models/model-engines';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { SceneFrames } from './scene-frames';

/** vision_embed_frames: CLIP image embeddings of each scene's summary frames, averaged into one scene vector in pgvector. */
@Injectable()
export class VisionEmbedFramesStage implements PipelineStage {
  readonly stage = JobStage.VisionEmbedFrames;

  constructor(
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const clip = this.models.clip;
    if (!clip.available) return { status: 'skipped', reason: clip.reason };
    const { engine } = clip;
    if (engine.dims !== EMBEDDING_DIMENSIONS.visual) {
      throw new PermanentStageError(`CLIP model ${engine.model.name} makes ${engine.dims}-d vectors; scenes store ${EMBEDDING_DIMENSIONS.visual}-d`);
    }
    const vectors = new Map<string, number[]>();
    for (const scene of await this.frames.scenes(video.id)) {
      const frames = await this.frames.summary(scene);
      if (!frames.length) continue;
      const embedded = await engine.embedImages(frames.map((f) => f.image));
      vectors.set(scene.id, Array.from(meanDirection(embedded)));
    }
    const modelId = `${engine.model.name}@${engine.model.version}`;
    await write(async (tx) => {
      for (const scene of await tx.find(Scene, { video: video.id })) {
        scene.visualEmbedding = vectors.get(scene.id) ?? null;
        scene.visualEmbeddingModel = vectors.has(scene.id) ? modelId : null;
      }
    });
    return { status: 'completed', model: engine.model, note: `${vectors.size} scene(s) embedded` };
  }
}
