import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Scene } from '@heimdex/db';
import { meanDirection } from '@heimdex/ml';
import { JobName, ReembedScenesPayload } from '@heimdex/queue';
import type { JobHandler } from '../jobs/job-handler';
import { ModelEngines } from '../models/model-engines';
import { sceneText } from '../stages/embed-text.stage';
import { SceneFrames } from '../stages/scene-frames';

const BATCH = 32;

const COLUMNS = {
  text: { current: 'textEmbeddingModel', next: 'textEmbeddingNext', nextModel: 'textEmbeddingNextModel', sql: 'text_embedding' },
  visual: { current: 'visualEmbeddingModel', next: 'visualEmbeddingNext', nextModel: 'visualEmbeddingNextModel', sql: 'visual_embedding' },
} as const;

/**
 * After the configured text or CLIP model changes, re-embeds every scene still on an older
 * model into the `*_next` columns, then swaps them in with one statement: until then search
 * keeps reading the old vectors. Resumable: a restart continues with the scenes not yet done.
 */
@Injectable()
export class ReembedScenesHandler implements JobHandler<JobName.ReembedScenes> {
  readonly jobName = JobName.ReembedScenes;
  private readonly logger = new Logger(ReembedScenesHandler.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
  ) {}

  async handle({ kind, model }: ReembedScenesPayload): Promise<void> {
    const col = COLUMNS[kind];
    let done = 0;
    for (;;) {
      const embed = this.embedder(kind, model);
      if (!embed) {
        this.logger.log(`re-embedding ${kind} to ${model} stopped: that model is no longer the configured one`);
        return;
      }
      const em = this.orm.em.fork();
      const batch = await em.find(
        Scene,
        { [col.current]: { $ne: model }, $or: [{ [col.nextModel]: null }, { [col.nextModel]: { $ne: model } }] },
        { limit: BATCH, orderBy: { id: 'asc' } },
      );
      if (!batch.length) break;
      for (const scene of batch) {
        const vector = await embed(scene);
        Object.assign(scene, { [col.next]: vector, [col.nextModel]: model });
      }
      await em.flush();
      done += batch.length;
    }
    const swapped = await this.orm.em.fork().execute(
      `update scenes set ${col.sql} = ${col.sql}_next, ${col.sql}_model = ${col.sql}_next_model, ${col.sql}_next = null, ${col.sql}_next_model = null
       where ${col.sql}_next_model = ?`,
      [model],
      'run',
    );
    this.logger.log(`re-embedded ${done} scene(s) with ${model} (${kind}); swapped ${String((swapped as { affectedRows?: number }).affectedRows ?? '?')}`);
  }

  /** The function embedding one scene with `model`, or null when that is not the loaded model any more. */
  private embedder(kind: 'text' | 'visual', model: string): ((scene: Scene) => Promise<number[] | null>) | null {
    if (kind === 'text') {
      const text = this.models.text;
      if (!text.available || `${text.engine.model.name}@${text.engine.model.version}` !== model) return null;
      return async (scene) => {
        const t = sceneText(scene);
        return t ? Array.from((await text.engine.embed([t], 'passage'))[0]) : null;
      };
    }
    const clip = this.models.clip;
    if (!clip.available || `${clip.engine.model.name}@${clip.engine.model.version}` !== model) return null;
    return async (scene) => {
      const frames = await this.frames.summary(scene);
      return frames.length ? Array.from(meanDirection(await clip.engine.embedImages(frames.map((f) => f.image)))) : null;
    };
  }
}
