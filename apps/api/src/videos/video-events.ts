import { BeforeApplicationShutdown, Injectable, MessageEvent } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Video, VideoState } from '@heimdex/db';
import { concatMap, distinctUntilChanged, interval, map, Observable, startWith, Subject, takeUntil, takeWhile } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import type { VideoDto } from './dto/video.dto';
import { toVideoDto } from './video-view';
import { VideosRepository } from './videos.repository';

const POLL_MS = 1000;
const TERMINAL = new Set<VideoState>([VideoState.Indexed, VideoState.Failed, VideoState.Deleted]);

/**
 * Server-Sent Events for one video: a `progress` event whenever its state or a stage changes,
 * ending after `indexed`, `failed` or `deleted`. Polls the database (stage rows are written by
 * the worker, another process), reading through a fresh EntityManager each time.
 */
@Injectable()
export class VideoEvents implements BeforeApplicationShutdown {
  /** Open streams end when the app shuts down; left open they would hold it until the drain deadline. */
  private readonly closing$ = new Subject<void>();

  constructor(
    private readonly em: EntityManager,
    private readonly videos: VideosRepository,
  ) {}

  beforeApplicationShutdown(): void {
    this.closing$.next();
    this.closing$.complete();
  }

  stream(user: AuthUser, id: string): Observable<MessageEvent> {
    return interval(POLL_MS).pipe(
      startWith(0),
      concatMap(() => this.snapshot(user.id, id)),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((v) => !TERMINAL.has(v.state), true),
      takeUntil(this.closing$),
      map((v) => ({ type: 'progress', data: { id: v.id, state: v.state, progress: v.progress, stages: v.stages, error: v.error } })),
    );
  }

  private async snapshot(userId: string, id: string): Promise<Pick<VideoDto, 'id' | 'state' | 'progress' | 'stages' | 'error'>> {
    const em = this.em.fork();
    const video = await em.findOne(Video, { id, userId });
    if (!video) return { id, state: VideoState.Deleted, progress: 0, stages: [], error: null };
    const jobs = await this.videos.jobsByVideo([id], em);
    const dto = toVideoDto(video, jobs.get(id) ?? []);
    return { id: dto.id, state: dto.state, progress: dto.progress, stages: dto.stages, error: dto.error };
  }
}
