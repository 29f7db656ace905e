import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ContentRating, Face, JobStage, JobState, PipelineJob, Scene, Video, VideoState } from '@heimdex/db';
import type { VideoCursor } from './video-cursor';

export interface ScenePerson {
  sceneId: string;
  personId: string;
  name: string;
  confidence: number | null;
}

/** The SQL of the videos domain. Every read is scoped to the owner; deleted videos are invisible. */
@Injectable()
export class VideosRepository {
  constructor(private readonly em: EntityManager) {}

  findOwned(userId: string, id: string, em: EntityManager = this.em, lock = false): Promise<Video | null> {
    return em.findOne(Video, { id, userId, state: { $ne: VideoState.Deleted } }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  /** Admin access: any owner, still never a deleted video. */
  findAnyOwner(id: string, em: EntityManager = this.em, lock = false): Promise<Video | null> {
    return em.findOne(Video, { id, state: { $ne: VideoState.Deleted } }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  countActive(userId: string, em: EntityManager): Promise<number> {
    return em.count(Video, { userId, state: { $ne: VideoState.Deleted } });
  }

  /** Serialises quota checks of one user inside the caller's transaction. */
  async lockUser(userId: string, em: EntityManager): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [userId]);
  }

  /** Newest first; `userId` null: every user's (admin). */
  page(userId: string | null, opts: { state?: VideoState; contentRating?: ContentRating; limit: number; after?: VideoCursor }): Promise<Video[]> {
    const where: Record<string, unknown> = { state: opts.state ?? { $ne: VideoState.Deleted } };
    if (userId !== null) where.userId = userId;
    if (opts.contentRating) where.contentRating = opts.contentRating;
    if (opts.state === VideoState.Deleted) return Promise.resolve([]);
    if (opts.after) {
      where.$or = [{ createdAt: { $lt: opts.after.createdAt } }, { createdAt: opts.after.createdAt, id: { $lt: opts.after.id } }];
    }
    return this.em.find(Video, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: opts.limit });
  }

  async jobsByVideo(videoIds: string[], em: EntityManager = this.em): Promise<Map<string, PipelineJob[]>> {
    const map = new Map<string, PipelineJob[]>(videoIds.map((id) => [id, []]));
    if (!videoIds.length) return map;
    const jobs = await em.find(PipelineJob, { video: { $in: videoIds } });
    for (const job of jobs) map.get(job.video.id)?.push(job);
    return map;
  }

  /** Replaces the video's stage rows with fresh pending ones for this run. */
  async resetStages(em: EntityManager, video: Video, stages: readonly JobStage[]): Promise<void> {
    await em.nativeDelete(PipelineJob, { video: video.id });
    for (const stage of stages) {
      const job = new PipelineJob();
      job.video = video;
      job.stage = stage;
      job.pipelineRun = video.pipelineRun;
      em.persist(job);
    }
  }

  /** Pending stages of a deleted video are cancelled; a running one stays `running` until its runner stops it, which the purge waits for. */
  async cancelPendingStages(em: EntityManager, videoId: string): Promise<void> {
    await em.nativeUpdate(PipelineJob, { video: videoId, state: JobState.Pending }, { state: JobState.Cancelled, finishedAt: new Date() });
  }

  /** The scenes search serves: the committed copies while the video re-runs, else the video's scenes. */
  async scenes(videoId: string): Promise<Scene[]> {
    const copies = await this.em.find(Scene, { video: videoId, copyOf: { $ne: null } }, { orderBy: { index: 'asc' }, filters: false });
    return copies.length ? copies : this.em.find(Scene, { video: videoId }, { orderBy: { index: 'asc' } });
  }

  async scenePeople(sceneIds: string[]): Promise<ScenePerson[]> {
    if (!sceneIds.length) return [];
    const faces = await this.em.find(Face, { scene: { $in: sceneIds }, person: { $ne: null } }, { populate: ['person'] });
    const best = new Map<string, ScenePerson>();
    for (const f of faces) {
      if (!f.scene || !f.person) continue;
      const key = `${f.scene.id}:${f.person.id}`;
      const prev = best.get(key);
      if (!prev || (f.confidence ?? 0) > (prev.confidence ?? 0)) {
        best.set(key, { sceneId: f.scene.id, personId: f.person.id, name: f.person.name, confidence: f.confidence });
      }
    }
    return [...best.values()];
  }
}
