import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { ModelRef } from '../derived-data';
import { JobStage, JobState } from '../enums';
import { Video } from './video.entity';

/** One row per (video, stage): the pipeline's visible state. */
@Entity({ tableName: 'pipeline_jobs' })
@Unique({ name: 'pipeline_jobs_video_stage_uq', properties: ['video', 'stage'] })
export class PipelineJob {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Video, { deleteRule: 'cascade' })
  video!: Video;

  @Enum({ items: () => JobStage, nativeEnumName: 'job_stage' })
  stage!: JobStage;

  @Enum({ items: () => JobState, nativeEnumName: 'job_state' })
  state: JobState = JobState.Pending;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'integer', default: 0 })
  pipelineRun: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  /** Failure text, or why the stage was skipped. */
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  /** The model behind what this stage produced. */
  @Property({ type: 'json', nullable: true })
  model: ModelRef | null = null;

  /** What a completed stage wants the user to know (e.g. "OCR off: OCR_ENABLED=false", "42 scenes"). */
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
