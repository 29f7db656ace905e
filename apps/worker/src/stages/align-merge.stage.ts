import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { JobStage, JobState, PipelineJob, Scene } from '@heimdex/db';
import { videoKeys } from '@heimdex/storage';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { alignToScenes } from './align-words';
import type { TranscriptArtifact } from './transcript-artifact';

/** align_merge: transcript words into the scenes they were spoken in; Postgres keeps the full-text vectors from there. */
@Injectable()
export class AlignMergeStage implements PipelineStage {
  readonly stage = JobStage.AlignMerge;

  constructor(
    private readonly orm: MikroORM,
    private readonly artifacts: StageArtifacts,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const asr = await this.orm.em.fork().findOne(PipelineJob, { video: video.id, stage: JobStage.AsrFast });
    if (asr?.state === JobState.Skipped) {
      // A rerun without a transcript (captions removed, ASR off) must not leave the last run's words behind.
      await write((tx) => tx.nativeUpdate(Scene, { video: video.id }, { transcript: '', words: [], transcriptSource: null }));
      return { status: 'skipped', reason: `no transcript (asr_fast skipped: ${asr.error ?? 'no reason given'})` };
    }
    const transcript = await this.artifacts.getJson<TranscriptArtifact>(videoKeys.transcript(video.userId, video.id));
    if (!transcript) throw new Error('the transcript from asr_fast is missing in storage');

    const words = await write(async (tx) => {
      const scenes = await tx.find(Scene, { video: video.id }, { orderBy: { index: 'asc' } });
      const aligned = alignToScenes(scenes, transcript.segments);
      scenes.forEach((scene, i) => {
        scene.transcript = aligned[i].transcript;
        scene.words = aligned[i].words;
        scene.transcriptSource = aligned[i].words.length ? (transcript.source ?? 'asr') : null;
      });
      return aligned.reduce((n, a) => n + a.words.length, 0);
    });
    return { status: 'completed', model: transcript.model, note: `${words} word(s) aligned` };
  }
}
