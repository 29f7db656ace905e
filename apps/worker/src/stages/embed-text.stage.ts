import { Injectable } from '@nestjs/common';
import { EMBEDDING_DIMENSIONS, JobStage, Scene } from '@heimdex/db';
import { ModelEngines } from '../models/model-engines';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { SceneFrames } from './scene-frames';

const BATCH = 16;

/** What a scene's text vector covers: what was said and what was shown as text. */
export function sceneText(scene: Pick<Scene, 'transcript' | 'ocrText'>): string {
  return [scene.transcript, scene.ocrText.replace(/\n/g, '. ')].filter((t) => t.trim()).join('\n');
}

/** embed_text: one sentence embedding per scene (transcript + on-screen text) into pgvector, with its model's name. */
@Injectable()
export class EmbedTextStage implements PipelineStage {
  readonly stage = JobStage.EmbedText;

  constructor(
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const text = this.models.text;
    if (!text.available) return { status: 'skipped', reason: text.reason };
    const { engine } = text;
    if (engine.dims !== EMBEDDING_DIMENSIONS.text) {
      throw new PermanentStageError(`text model ${engine.model.name} makes ${engine.dims}-d vectors; scenes store ${EMBEDDING_DIMENSIONS.text}-d`);
    }
    const scenes = (await this.frames.scenes(video.id)).filter((s) => sceneText(s));
    const vectors = new Map<string, number[]>();
    for (let i = 0; i < scenes.length; i += BATCH) {
      const batch = scenes.slice(i, i + BATCH);
      const out = await engine.embed(batch.map(sceneText), 'passage');
      batch.forEach((s, k) => vectors.set(s.id, Array.from(out[k])));
    }
    const modelId = `${engine.model.name}@${engine.model.version}`;
    await write(async (tx) => {
      for (const scene of await tx.find(Scene, { video: video.id })) {
        scene.textEmbedding = vectors.get(scene.id) ?? null;
        scene.textEmbeddingModel = vectors.has(scene.id) ? modelId : null;
      }
    });
    return { status: 'completed', model: engine.model, note: `${vectors.size} scene(s) with text embedded` };
  }
}
