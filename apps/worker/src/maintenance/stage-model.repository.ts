import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { JobStage, ModelRef, Video, VideoState } from '@heimdex/db';

/** Caption files are not a model: a transcript from captions never re-runs for a new speech model. */
const NOT_A_MODEL = 'captions';

/** The SQL of the stage model scheduler: which indexed videos hold a stage's output of which model. */
@Injectable()
export class StageModelRepository {
  videosInPipeline(em: EntityManager): Promise<number> {
    return em.count(Video, { state: { $in: [VideoState.Validating, VideoState.Processing] } });
  }

  /** The distinct models behind `stage`'s completed output on indexed videos. */
  async storedModels(em: EntityManager, stage: JobStage): Promise<ModelRef[]> {
    const rows = await em.execute<{ name: string; version: string }[]>(
      `select distinct j.model->>'name' as name, j.model->>'version' as version
         from pipeline_jobs j join videos v on v.id = j.video_id
        where j.stage = ? and j.state = 'completed' and j.model is not null and j.model->>'name' <> ? and v.state = 'indexed'`,
      [stage, NOT_A_MODEL],
    );
    return rows.map((r) => ({ name: r.name, version: r.version }));
  }

  /** Up to `limit` indexed videos whose `stage` output another model made, longest indexed first. */
  async videosWithOtherModel(em: EntityManager, stage: JobStage, model: ModelRef, limit: number): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `select v.id from pipeline_jobs j join videos v on v.id = j.video_id
        where ${OTHER_MODEL} and v.state = 'indexed'
        order by v.indexed_at, v.id
        limit ?`,
      [stage, NOT_A_MODEL, model.name, model.version, limit],
    );
    return rows.map((r) => r.id);
  }

  async madeByOtherModel(em: EntityManager, videoId: string, stage: JobStage, model: ModelRef): Promise<boolean> {
    const rows = await em.execute<{ n: string }[]>(`select count(*) as n from pipeline_jobs j where ${OTHER_MODEL} and j.video_id = ?`, [
      stage,
      NOT_A_MODEL,
      model.name,
      model.version,
      videoId,
    ]);
    return Number(rows[0]?.n ?? 0) > 0;
  }
}

const OTHER_MODEL = `j.stage = ? and j.state = 'completed' and j.model is not null and j.model->>'name' <> ?
  and (j.model->>'name', j.model->>'version') is distinct from (?, ?)`;
