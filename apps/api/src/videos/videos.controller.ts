import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, Sse, MessageEvent } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiPayloadTooLargeResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { AcceptsStreamTicket, CurrentUser } from '../auth/auth.decorators';
import { StreamTickets } from '../auth/stream-tickets';
import { ErrorDto } from '../common/error.dto';
import { CreateVideoDto } from './dto/create-video.dto';
import { ReprocessQuery } from './dto/reprocess.query';
import { ListVideosQuery } from './dto/list-videos.query';
import { SidecarQuery } from './dto/sidecar.query';
import { UpdateVideoDto } from './dto/update-video.dto';
import { VideoProgressEventDto } from './dto/video-event.dto';
import { CreatedVideoDto, EventsTicketDto, PlaybackDto, SceneDto, VideoDto, VideoEnvelopeDto, VideoListDto } from './dto/video.dto';
import { VideoEvents } from './video-events';
import { VideoCaptionsService } from './video-captions.service';
import { VideosService } from './videos.service';

const VIDEO_EVENTS = 'video-events';
const Id = () => Param('id', new ParseUUIDPipe());

@ApiTags('videos')
@ApiBearerAuth()
@ApiNotFoundResponse({ type: ErrorDto, description: "no such video, or another user's" })
@Controller('v1/videos')
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly events: VideoEvents,
    private readonly tickets: StreamTickets,
    private readonly captions: VideoCaptionsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a video and get a presigned upload URL' })
  @ApiCreatedResponse({ type: CreatedVideoDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVideoDto): Promise<CreatedVideoDto> {
    return this.videos.create(user, dto);
  }

  @Post(':id/complete')
  @HttpCode(202)
  @ApiOperation({ summary: 'Tell Heimdex the upload finished; queues the pipeline (idempotent)' })
  @ApiAcceptedResponse({ type: VideoEnvelopeDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the object is missing or has the wrong size' })
  async complete(@CurrentUser() user: AuthUser, @Id() id: string): Promise<VideoEnvelopeDto> {
    return { video: await this.videos.complete(user, id) };
  }

  @Get()
  @ApiOkResponse({ type: VideoListDto })
  list(@CurrentUser() user: AuthUser, @Query() q: ListVideosQuery): Promise<VideoListDto> {
    return this.videos.list(user, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: VideoDto })
  get(@CurrentUser() user: AuthUser, @Id() id: string): Promise<VideoDto> {
    return this.videos.get(user, id);
  }

  @Post(':id/events/ticket')
  @ApiOperation({ summary: "A single-use ticket (30 s) that opens this video's event stream without a bearer header, for browsers' EventSource" })
  @ApiCreatedResponse({ type: EventsTicketDto })
  async eventsTicket(@CurrentUser() user: AuthUser, @Id() id: string): Promise<EventsTicketDto> {
    await this.videos.get(user, id);
    return this.tickets.issue(user, VIDEO_EVENTS, id);
  }

  @Sse(':id/events')
  @AcceptsStreamTicket(VIDEO_EVENTS)
  @ApiQuery({ name: 'ticket', required: false, description: 'from POST /v1/videos/{id}/events/ticket, instead of the Authorization header' })
  @ApiOperation({ summary: 'Server-Sent Events: `progress` on every stage change until indexed or failed' })
  @ApiProduces('text/event-stream')
  @ApiExtraModels(VideoProgressEventDto)
  @ApiOkResponse({
    description: 'an event stream: `event: progress` messages whose `data` is a VideoProgressEvent (JSON); it ends after indexed, failed or deleted',
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(VideoProgressEventDto) } } },
  })
  async eventStream(@CurrentUser() user: AuthUser, @Id() id: string): Promise<Observable<MessageEvent>> {
    // Checked before the stream opens, so another user's video is a plain 404, not an empty stream.
    await this.videos.get(user, id);
    return this.events.stream(user, id);
  }

  @Get(':id/scenes')
  @ApiOkResponse({ type: [SceneDto] })
  scenes(@CurrentUser() user: AuthUser, @Id() id: string): Promise<SceneDto[]> {
    return this.videos.scenes(user, id);
  }

  @Get(':id/sidecar')
  @ApiOperation({ summary: 'The JSON sidecar, or the transcript as WebVTT / SubRip' })
  @ApiProduces('application/json', 'text/vtt', 'application/x-subrip')
  @ApiOkResponse({ description: 'the sidecar document' })
  async sidecar(@CurrentUser() user: AuthUser, @Id() id: string, @Query() q: SidecarQuery, @Res() res: Response): Promise<void> {
    const { stream, contentType, transcriptNote } = await this.videos.sidecar(user, id, q.format ?? 'json');
    res.setHeader('Content-Type', contentType);
    // Header values are Latin-1: anything else in the reason is dropped rather than failing the response.
    if (transcriptNote) res.setHeader('Heimdex-Transcript-Note', transcriptNote.normalize('NFKD').replace(/[^\x20-\x7e]/g, ''));
    stream.pipe(res);
  }

  @Get(':id/playback')
  @ApiOkResponse({ type: PlaybackDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the upload is not complete' })
  playback(@CurrentUser() user: AuthUser, @Id() id: string): Promise<PlaybackDto> {
    return this.videos.playback(user, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: VideoDto })
  update(@CurrentUser() user: AuthUser, @Id() id: string, @Body() dto: UpdateVideoDto): Promise<VideoDto> {
    return this.videos.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted; objects and derived rows are purged by a job' })
  remove(@CurrentUser() user: AuthUser, @Id() id: string): Promise<void> {
    return this.videos.remove(user, id);
  }

  @Put(':id/captions')
  @HttpCode(202)
  @ApiOperation({ summary: 'Add captions (WebVTT or SubRip, at most 2 MB): they become the transcript and the video is re-indexed from asr_fast' })
  @ApiConsumes('text/vtt', 'application/x-subrip')
  @ApiBody({ schema: { type: 'string' } })
  @ApiAcceptedResponse({ type: VideoEnvelopeDto })
  @ApiUnprocessableEntityResponse({ type: ErrorDto, description: 'malformed captions; the message names the line' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorDto, description: 'not text/vtt or application/x-subrip' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'over 2 MB' })
  @ApiConflictResponse({ type: ErrorDto, description: 'the video is not indexed or failed' })
  async putCaptions(
    @CurrentUser() user: AuthUser,
    @Id() id: string,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<VideoEnvelopeDto> {
    return { video: await this.captions.put(user, id, contentType, body) };
  }

  @Delete(':id/captions')
  @HttpCode(202)
  @ApiOperation({ summary: 'Remove added captions; the video is re-indexed from asr_fast' })
  @ApiAcceptedResponse({ type: VideoEnvelopeDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the video is not indexed or failed' })
  async deleteCaptions(@CurrentUser() user: AuthUser, @Id() id: string): Promise<VideoEnvelopeDto> {
    return { video: await this.captions.remove(user, id) };
  }

  @Post(':id/reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run the pipeline again (owner or admin)' })
  @ApiAcceptedResponse({ type: VideoEnvelopeDto })
  @ApiConflictResponse({
    type: ErrorDto,
    description: 'the video is neither indexed, failed nor stalled (processing with no stage change for PIPELINE_STALL_S)',
  })
  async reprocess(@CurrentUser() user: AuthUser, @Id() id: string, @Query() q: ReprocessQuery): Promise<VideoEnvelopeDto> {
    return { video: await this.videos.reprocess(user, id, q.from) };
  }
}
