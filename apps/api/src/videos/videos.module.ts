import { Module } from '@nestjs/common';
import { VideoEvents } from './video-events';
import { VideosController } from './videos.controller';
import { VideosRepository } from './videos.repository';
import { VideosService } from './videos.service';

@Module({
  controllers: [VideosController],
  providers: [VideosRepository, VideosService, VideoEvents],
  exports: [VideosService],
})
export class VideosModule {}
