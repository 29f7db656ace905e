import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ThumbnailUrls } from '../common/thumbnail-urls';
import { VideoEvents } from './video-events';
import { VideosController } from './videos.controller';
import { VideosRepository } from './videos.repository';
import { VideoCaptionsService } from './video-captions.service';
import { VideosService } from './videos.service';

@Module({
  imports: [AuthModule],
  controllers: [VideosController],
  providers: [VideosRepository, VideosService, VideoCaptionsService, VideoEvents, ThumbnailUrls],
  exports: [VideosService],
})
export class VideosModule {}
