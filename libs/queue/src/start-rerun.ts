import type { EntityManager } from '@mikro-orm/postgresql';
import { JobStage, JobState, PipelineJob, Scene, Video, VideoState } from '@heimdex/db';
import { jobNameForStage } from './job-names';
import { enqueueInTransaction } from './outbox';
import { PIPELINE, readyStages } from './pipeline';

/**
 * Moves `video` (locked by the caller's transaction) to a new run in which `rerun` go back to
 * pending, and enqueues those ready now; the other stages keep their results. An indexed video's
 * scenes are copied first: search keeps serving that version (`indexedAt` stays its time) until
 * the re-run commits; a failed or stalled one keeps the copies it has. The caller flushes `video`.
 */
export async function startRerun(em: EntityManager, video: Video, rerun: readonly JobStage[]): Promise<void> {
  if (video.state === VideoState.Indexed) await keepCommittedScenes(em, video.id);
  video.state = rerun.includes(JobStage.UploadValidate) ? VideoState.Validating : VideoState.Processing;
  video.error = null;
  video.pipelineRun += 1;
  await em.nativeUpdate(PipelineJob, { video: video.id }, { pipelineRun: video.pipelineRun });
  await em.nativeUpdate(
    PipelineJob,
    { video: video.id, stage: { $in: [...rerun] } },
    { state: JobState.Pending, attempts: 0, startedAt: null, finishedAt: null, error: null, model: null, note: null },
  );
  const done = new Set(PIPELINE.filter((s) => !rerun.includes(s)));
  for (const stage of readyStages(done, new Set(rerun))) {
    enqueueInTransaction(em, jobNameForStage(stage), { videoId: video.id, run: video.pipelineRun });
  }
}

/**
 * Copies the video's scenes as committed copies (`copy_of`), which search and the scenes API
 * serve while a re-run rebuilds the scenes themselves. Every stored column is copied, so a
 * column added later is kept too; the triggers re-derive the search fields of the copies.
 */
async function keepCommittedScenes(em: EntityManager, videoId: string): Promise<void> {
  const columns = em
    .getMetadata()
    .get(Scene.name)
    .props.filter((p) => p.persist !== false && p.name !== 'id' && p.name !== 'copyOf')
    .flatMap((p) => p.fieldNames ?? [])
    .map((c) => `"${c}"`)
    .join(', ');
  await em.execute('delete from scenes where video_id = ? and copy_of is not null', [videoId]);
  await em.execute(`insert into scenes (id, copy_of, ${columns}) select gen_random_uuid(), id, ${columns} from scenes where video_id = ? and copy_of is null`, [
    videoId,
  ]);
}
