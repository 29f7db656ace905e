import { Injectable } from '@nestjs/common';
import { recordSystemEvent } from '@heimdex/audit';
import { AuditOutcome, JobStage, PipelineJob, Scene, Video, VideoState, DONE_JOB_STATES } from '@heimdex/db';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';

/**
 * commit: the video becomes `indexed` in the same transaction that marks this stage done, and the
 * committed copies a re-run kept for search are deleted in it too. Search reads an indexed
 * video's scenes or, while it re-runs, those copies: all of one version, never half of the next.
 */
@Injectable()
export class CommitStage implements PipelineStage {
  readonly stage = JobStage.Commit;

  run({ video }: StageContext): Promise<StageResult> {
    return Promise.resolve({
      status: 'completed',
      finalize: async (tx) => {
        const rows = await tx.find(PipelineJob, { video: video.id, stage: { $ne: JobStage.Commit } });
        const open = rows.filter((r) => !DONE_JOB_STATES.has(r.state)).map((r) => `${r.stage} (${r.state})`);
        // The graph makes this impossible; if it ever happens, indexing half a video would be worse than failing.
        if (open.length) throw new Error(`cannot commit: stages not done: ${open.join(', ')}`);
        await tx.nativeDelete(Scene, { video: video.id, copyOf: { $ne: null } }, { filters: false });
        const current = await tx.findOneOrFail(Video, { id: video.id });
        Object.assign(current, { state: VideoState.Indexed, indexedAt: new Date(), error: null });
        await recordSystemEvent(tx, {
          action: 'videos.indexed',
          resourceType: 'videos',
          resourceId: video.id,
          outcome: AuditOutcome.Success,
          details: { ownerId: video.userId, run: video.pipelineRun },
        });
      },
    });
  }
}
