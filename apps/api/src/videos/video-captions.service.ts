import { Inject, Injectable, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import { JobStage } from '@heimdex/db';
import { CaptionParseError, parseCaptions, type CaptionFormat } from '@heimdex/sidecar';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import type { AuthUser } from '../auth/auth-user';
import type { VideoDto } from './dto/video.dto';
import { VideosService } from './videos.service';

/** The caption files PUT /v1/videos/:id/captions takes, by Content-Type. */
export const CAPTION_CONTENT_TYPES: Record<string, CaptionFormat> = { 'text/vtt': 'webvtt', 'application/x-subrip': 'subrip' };
export const CAPTIONS_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Captions a user adds to a video: checked and parsed here (a malformed file is a 422 naming its
 * line and changes nothing), stored as cues, and the video re-indexed from asr_fast, where they
 * take precedence over embedded subtitles and speech recognition.
 */
@Injectable()
export class VideoCaptionsService {
  constructor(
    private readonly videos: VideosService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async put(user: AuthUser, id: string, contentType: string | undefined, body: unknown): Promise<VideoDto> {
    const format = CAPTION_CONTENT_TYPES[(contentType ?? '').split(';')[0].trim().toLowerCase()];
    if (!format || typeof body !== 'string') throw new UnsupportedMediaTypeException(`send the captions as ${Object.keys(CAPTION_CONTENT_TYPES).join(' or ')}`);
    const video = await this.videos.get(user, id);
    let cues;
    try {
      cues = parseCaptions(body, format);
    } catch (err) {
      if (err instanceof CaptionParseError) throw new UnprocessableEntityException(`malformed ${format === 'webvtt' ? 'WebVTT' : 'SubRip'}: ${err.message}`);
      throw err;
    }
    if (!cues.length) throw new UnprocessableEntityException('the captions have no cue with text');
    this.videos.assertReprocessable(video.state);
    await this.storage.put(videoKeys.userCaptions(user.id, id), Buffer.from(JSON.stringify({ format, cues })), { contentType: 'application/json' });
    return this.videos.reprocess(user, id, JobStage.AsrFast);
  }

  async remove(user: AuthUser, id: string): Promise<VideoDto> {
    const video = await this.videos.get(user, id);
    this.videos.assertReprocessable(video.state);
    await this.storage.deletePrefix(videoKeys.userCaptions(user.id, id));
    return this.videos.reprocess(user, id, JobStage.AsrFast);
  }
}
