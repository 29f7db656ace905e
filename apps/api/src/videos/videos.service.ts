import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { EntityManager, IsolationLevel } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, JobState, Video, VideoState } from '@heimdex/db';
import {
  enqueueInTransaction,
  JobName,
  jobIdFor,
  jobNameForStage,
  OutboxDispatcher,
  PIPELINE,
  QueueRegistry,
  readyStages,
  startRerun,
  withTimeout,
} from '@heimdex/queue';
import { webVttNote } from '@heimdex/sidecar';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import type { Readable } from 'node:stream';
import type { AuthUser } from '../auth/auth-user';
import { ThumbnailUrls } from '../common/thumbnail-urls';
import type { CreateVideoDto } from './dto/create-video.dto';
import type { ListVideosQuery } from './dto/list-videos.query';
import type { UpdateVideoDto } from './dto/update-video.dto';
import type { CreatedVideoDto, PlaybackDto, SceneDto, VideoDto, VideoListDto } from './dto/video.dto';
import { whyNotReprocessable } from './reprocess-policy';
import { stagesToRerun } from './stages-to-rerun';
import { decodeCursor, encodeCursor } from './video-cursor';
import { toVideoDto } from './video-view';
import { VideosRepository } from './videos.repository';

const SIDECAR_TYPES = { json: 'application/json', vtt: 'text/vtt; charset=utf-8', srt: 'application/x-subrip; charset=utf-8' } as const;

@Injectable()
export class VideosService {
  constructor(
    private readonly em: EntityManager,
    private readonly videos: VideosRepository,
    private readonly outbox: OutboxDispatcher,
    private readonly queues: QueueRegistry,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly thumbnails: ThumbnailUrls,
  ) {}

  async create(user: AuthUser, dto: CreateVideoDto): Promise<CreatedVideoDto> {
    const quota = this.config.uploads.quotas[user.tier];
    if (dto.sizeBytes > quota.maxBytes) {
      throw new PayloadTooLargeException(`sizeBytes ${dto.sizeBytes} exceeds the ${user.tier} tier's limit of ${quota.maxBytes} bytes per video`);
    }
    const video = await this.em.transactional(async (em) => {
      await this.videos.lockUser(user.id, em);
      const count = await this.videos.countActive(user.id, em);
      if (count >= quota.maxVideos) {
        throw new ForbiddenException(`video quota reached: the ${user.tier} tier allows ${quota.maxVideos} videos; delete some first`);
      }
      const v = new Video();
      v.userId = user.id;
      v.filename = dto.filename;
      v.contentType = dto.contentType;
      v.sizeBytes = dto.sizeBytes;
      v.title = dto.title?.trim() || null;
      v.description = dto.description?.trim() || null;
      v.storageKey = videoKeys.source(user.id, v.id);
      em.persist(v);
      return v;
    });
    const upload = await this.storage.presignPut(video.storageKey, {
      contentType: video.contentType,
      maxBytes: video.sizeBytes,
      ttlS: this.config.uploads.urlTtlS,
    });
    return { video: toVideoDto(video, []), upload: { url: upload.url, method: 'PUT', headers: upload.headers, expiresAt: upload.expiresAt } };
  }

  /** Idempotent: only the first call on an uploading video changes state and queues the pipeline. */
  async complete(user: AuthUser, id: string): Promise<VideoDto> {
    const current = await this.requireOwned(user, id);
    if (current.state === VideoState.Uploading) {
      const stat = await this.storage.stat(current.storageKey);
      if (!stat) throw new ConflictException('the upload is not in storage: PUT the file to the upload URL first');
      if (stat.size !== current.sizeBytes) {
        throw new ConflictException(`the uploaded object has ${stat.size} bytes but ${current.sizeBytes} were declared; upload the whole file again`);
      }
      const started = await this.em.transactional(async (em) => {
        const video = await this.videos.findOwned(user.id, id, em, true);
        if (!video || video.state !== VideoState.Uploading) return false;
        video.state = VideoState.Validating;
        video.uploadedAt = new Date();
        video.pipelineRun += 1;
        await this.startPipeline(em, video);
        return true;
      });
      if (started) this.outbox.kick();
    }
    return this.get(user, id);
  }

  list(user: AuthUser, q: ListVideosQuery): Promise<VideoListDto> {
    return this.listForUser(user.id, q);
  }

  /** One user's videos (null: every user's, for admins), newest first; also what an admin sees of any user. */
  async listForUser(userId: string | null, q: ListVideosQuery): Promise<VideoListDto> {
    const limit = q.limit ?? 20;
    const rows = await this.videos.page(userId, {
      state: q.state,
      contentRating: q.contentRating,
      limit: limit + 1,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const page = rows.slice(0, limit);
    const jobs = await this.videos.jobsByVideo(page.map((v) => v.id));
    const last = page[page.length - 1];
    return {
      items: page.map((v) => toVideoDto(v, jobs.get(v.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  /**
   * The video and its stages from one snapshot: the worker changes a stage and the video's state in
   * one transaction, so two separate reads could show a completed stage on a video still validating.
   */
  async get(user: AuthUser, id: string): Promise<VideoDto> {
    return this.em.fork().transactional(
      async (em) => {
        const video = await this.videos.findOwned(user.id, id, em);
        if (!video) throw new NotFoundException('video not found');
        const jobs = await this.videos.jobsByVideo([video.id], em);
        return toVideoDto(video, jobs.get(video.id) ?? []);
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** Any owner's video (admins) with the run its stage jobs belong to. */
  async getWithRun(id: string): Promise<{ video: VideoDto; run: number }> {
    const video = await this.videos.findAnyOwner(id);
    if (!video) throw new NotFoundException('video not found');
    const jobs = await this.videos.jobsByVideo([video.id]);
    return { video: toVideoDto(video, jobs.get(video.id) ?? []), run: video.pipelineRun };
  }

  async update(user: AuthUser, id: string, dto: UpdateVideoDto): Promise<VideoDto> {
    const video = await this.requireOwned(user, id);
    if (dto.title !== undefined) video.title = dto.title.trim() || null;
    if (dto.description !== undefined) video.description = dto.description.trim() || null;
    await this.em.flush();
    return this.get(user, id);
  }

  /** Soft delete now; the purge job removes objects and derived rows. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const run = await this.em.transactional(async (em) => {
      const video = await this.videos.findOwned(user.id, id, em, true);
      if (!video) throw new NotFoundException('video not found');
      video.state = VideoState.Deleted;
      video.deletedAt = new Date();
      await this.videos.cancelPendingStages(em, video.id);
      enqueueInTransaction(em, JobName.VideoPurge, { videoId: video.id, userId: video.userId });
      return video.pipelineRun;
    });
    this.outbox.kick();
    // Best effort, bounded: with Redis away the delete still answers, and a stage job left
    // queued sees the deleted state when it runs and stops; the purge job (outbox) cleans up.
    const removals = PIPELINE.map((stage) => {
      const name = jobNameForStage(stage);
      return this.queues.removeIfWaiting(name, jobIdFor(name, { videoId: id, run }));
    });
    await withTimeout(Promise.allSettled(removals), this.config.worker.redisCommandTimeoutMs).catch(() => undefined);
  }

  /**
   * Reruns `from` and every stage after it; without `from`, every stage that did not finish and
   * everything after those (a failed or stalled video), or the whole pipeline (an indexed one).
   * Finished stages outside that set keep their results. Who may: reprocess-policy.ts.
   */
  async reprocess(user: AuthUser, id: string, from?: JobStage): Promise<VideoDto> {
    const ownerId = await this.em.transactional(async (em) => {
      const video = user.role === 'admin' ? await this.videos.findAnyOwner(id, em, true) : await this.videos.findOwned(user.id, id, em, true);
      if (!video) throw new NotFoundException('video not found');
      const jobs = (await this.videos.jobsByVideo([video.id], em)).get(video.id) ?? [];
      const refused = whyNotReprocessable(video, jobs, this.config.worker.stallS);
      if (refused) throw new ConflictException(refused);
      await startRerun(em, video, stagesToRerun(jobs, from));
      return video.userId;
    });
    this.outbox.kick();
    const video = await this.videos.findAnyOwner(id);
    const jobs = await this.videos.jobsByVideo([id]);
    if (!video || video.userId !== ownerId) throw new NotFoundException('video not found');
    return toVideoDto(video, jobs.get(id) ?? []);
  }

  /**
   * An admin's retry of a failed stage job: the video must still be failed on that job's run, and
   * by that stage (a stage cancelled because another failed is retried through the one that
   * failed). Like a reprocess, the stages that did not finish rerun as a new run, so the old run's
   * jobs stay no-ops; returns the new run.
   */
  async retryFailedStage(videoId: string, run: number, stage: JobStage): Promise<number> {
    const reprocess = `POST /v1/videos/${videoId}/reprocess reruns the video instead`;
    const newRun = await this.em.transactional(async (em) => {
      const video = await this.videos.findAnyOwner(videoId, em, true);
      if (!video) throw new NotFoundException('video not found');
      if (video.pipelineRun !== run)
        throw new ConflictException(
          `the job is of run ${run}; the video is on run ${video.pipelineRun} (${video.state}) since: nothing to retry; ${reprocess}`,
        );
      if (video.state !== VideoState.Failed) throw new ConflictException(`the video is ${video.state}, not failed: nothing to retry; ${reprocess}`);
      const jobs = (await this.videos.jobsByVideo([video.id], em)).get(video.id) ?? [];
      const row = jobs.find((j) => j.stage === stage);
      if (row?.state !== JobState.Failed) {
        const failed = jobs.find((j) => j.state === JobState.Failed);
        const which = failed ? `retry ${jobIdFor(jobNameForStage(failed.stage), { videoId, run })}, the stage that failed` : reprocess;
        throw new ConflictException(`${stage} is ${row?.state ?? 'missing'} in run ${run}, not failed; ${which}`);
      }
      await startRerun(em, video, stagesToRerun(jobs));
      return video.pipelineRun;
    });
    this.outbox.kick();
    return newRun;
  }

  /**
   * A cheap check before work that ends in a reprocess (storing captions): an indexed or failed
   * video only. The reprocess itself applies the full rule (stalled videos too).
   */
  assertReprocessable(state: string): void {
    if (state !== VideoState.Indexed && state !== VideoState.Failed)
      throw new ConflictException(`the video is ${state}; captions can change once it is indexed or failed`);
  }

  async playback(user: AuthUser, id: string): Promise<PlaybackDto> {
    const video = await this.requireOwned(user, id);
    if (video.state === VideoState.Uploading) throw new ConflictException('the upload has not been completed yet');
    const signed = await this.storage.presignGet(video.storageKey, { ttlS: this.config.uploads.playbackTtlS });
    return { url: signed.url, expiresAt: signed.expiresAt };
  }

  async scenes(user: AuthUser, id: string): Promise<SceneDto[]> {
    const video = await this.requireOwned(user, id);
    const scenes = await this.videos.scenes(video.id);
    // A committed copy shows the people of the scene it was copied from.
    const people = await this.videos.scenePeople(scenes.map((s) => s.copyOf ?? s.id));
    return Promise.all(
      scenes.map(async (s) => ({
        id: s.id,
        index: s.index,
        startS: s.startS,
        endS: s.endS,
        transcript: s.transcript,
        transcriptSource: s.transcriptSource,
        ocrText: s.ocrText,
        tags: s.tags,
        language: s.language,
        objects: s.objects.map(({ label, confidence, count, firstS }) => ({ label, confidence, count, firstS })),
        people: people.filter((p) => p.sceneId === (s.copyOf ?? s.id)).map(({ personId, name, confidence }) => ({ personId, name, confidence })),
        thumbnailUrl: await this.thumbnails.forKey(s.thumbnailKey),
      })),
    );
  }

  async sidecar(user: AuthUser, id: string, format: 'json' | 'vtt' | 'srt'): Promise<{ stream: Readable; contentType: string; transcriptNote: string | null }> {
    const video = await this.requireOwned(user, id);
    const key = videoKeys.sidecar(video.userId, video.id, format);
    if (!(await this.storage.stat(key))) throw new NotFoundException(`no sidecar yet: the video is ${video.state}`);
    const transcriptNote = format === 'json' ? null : await this.transcriptNote(video);
    return { stream: await this.storage.getStream(key), contentType: SIDECAR_TYPES[format], transcriptNote };
  }

  /** Why the subtitles are empty: the NOTE the worker wrote into the WebVTT file (SRT has no comments). */
  private async transcriptNote(video: Video): Promise<string | null> {
    const key = videoKeys.sidecar(video.userId, video.id, 'vtt');
    const stat = await this.storage.stat(key);
    // A file with cues is longer than any NOTE-only file: no need to read it.
    if (!stat || stat.size > 2048) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.getStream(key)) chunks.push(chunk as Buffer);
    return webVttNote(Buffer.concat(chunks).toString('utf8'));
  }

  private async startPipeline(em: EntityManager, video: Video): Promise<void> {
    await this.videos.resetStages(em, video, PIPELINE);
    for (const stage of readyStages(new Set(), new Set(PIPELINE))) {
      enqueueInTransaction(em, jobNameForStage(stage), { videoId: video.id, run: video.pipelineRun });
    }
  }

  private async requireOwned(user: AuthUser, id: string): Promise<Video> {
    const video = await this.videos.findOwned(user.id, id);
    if (!video) throw new NotFoundException('video not found');
    return video;
  }
}
