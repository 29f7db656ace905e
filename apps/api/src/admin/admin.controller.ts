import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Audit } from '../audit/audit.decorators';
import { ErrorDto } from '../common/error.dto';
import { ListVideosQuery } from '../videos/dto/list-videos.query';
import { VideoListDto } from '../videos/dto/video.dto';
import { VideosService } from '../videos/videos.service';
import { JobIdParams, QueueNameParams } from './dto/queue-params';
import { PurgeRequestDto, QueueDto, QueueListDto, RetriedJobDto, VideoJobsDto } from './dto/queue.dto';
import { QueueAdminService } from './queue-admin.service';
import { UserPurgeService } from './user-purge.service';

@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ type: ErrorDto, description: 'not an admin (the attempt is audited)' })
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly queues: QueueAdminService,
    private readonly videos: VideosService,
    private readonly purges: UserPurgeService,
  ) {}

  @Get('queues')
  @Audit({ action: 'queues.list', resourceType: 'queues' })
  @ApiOperation({ summary: "Each queue's job counts and whether it is paused" })
  @ApiOkResponse({ type: QueueListDto })
  async listQueues(): Promise<QueueListDto> {
    return { items: await this.queues.list() };
  }

  @Post('queues/:name/pause')
  @HttpCode(200)
  @Audit({ action: 'queues.pause', resourceType: 'queues', idParam: 'name' })
  @ApiOkResponse({ type: QueueDto })
  pause(@Param() p: QueueNameParams): Promise<QueueDto> {
    return this.queues.pause(p.name);
  }

  @Post('queues/:name/resume')
  @HttpCode(200)
  @Audit({ action: 'queues.resume', resourceType: 'queues', idParam: 'name' })
  @ApiOkResponse({ type: QueueDto })
  resume(@Param() p: QueueNameParams): Promise<QueueDto> {
    return this.queues.resume(p.name);
  }

  @Post('jobs/:id/retry')
  @HttpCode(200)
  @Audit({ action: 'jobs.retry', resourceType: 'jobs' })
  @ApiOperation({
    summary:
      'Retry a failed job; its queue follows from the job name at the start of its id. A pipeline stage job reruns the failed video from its unfinished stages as a new run (GET /v1/admin/videos/:id/jobs lists the job ids)',
  })
  @ApiOkResponse({ type: RetriedJobDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'the job is not failed; for a stage job: the video is not failed on that run by that stage (the message names the job or route to use)',
  })
  retry(@Param() p: JobIdParams): Promise<RetriedJobDto> {
    return this.queues.retry(p.id);
  }

  @Get('videos')
  @Audit({ action: 'videos.list', resourceType: 'videos' })
  @ApiOperation({ summary: "Every user's videos, newest first; ?contentRating=explicit lists what moderation flagged" })
  @ApiOkResponse({ type: VideoListDto })
  allVideos(@Query() q: ListVideosQuery): Promise<VideoListDto> {
    return this.videos.listForUser(null, q);
  }

  @Get('videos/:id/jobs')
  @Audit({ action: 'videos.jobs', resourceType: 'videos' })
  @ApiOperation({ summary: "Any video's stages with their state, error and job id (to retry a failed one) and the job's state in its queue" })
  @ApiOkResponse({ type: VideoJobsDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  videoJobs(@Param('id', new ParseUUIDPipe()) id: string): Promise<VideoJobsDto> {
    return this.queues.videoJobs(id);
  }

  @Get('users/:id/videos')
  @Audit({ action: 'users.videos', resourceType: 'users' })
  @ApiOperation({ summary: "Any user's videos, newest first" })
  @ApiOkResponse({ type: VideoListDto })
  userVideos(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: ListVideosQuery): Promise<VideoListDto> {
    return this.videos.listForUser(id, q);
  }

  @Post('users/:id/purge')
  @HttpCode(202)
  @Audit({ action: 'users.purge', resourceType: 'users' })
  @ApiOperation({ summary: "Delete all of a user's videos, scenes, people, faces and objects (a job); the audit trail stays" })
  @ApiAcceptedResponse({ type: PurgeRequestDto })
  async purge(@Param('id', new ParseUUIDPipe()) id: string): Promise<PurgeRequestDto> {
    return { userId: id, jobId: await this.purges.request(id, 'admin') };
  }
}
