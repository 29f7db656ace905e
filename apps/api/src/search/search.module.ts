import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ThumbnailUrls } from '../common/thumbnail-urls';
import { QueryEmbeddings } from './query-embeddings';
import { SearchController } from './search.controller';
import { SearchRepository } from './search.repository';
import { SearchService } from './search.service';

@Module({
  imports: [
    // One picture per request, held in memory (multer's default storage, bounded by SEARCH_IMAGE_MAX_BYTES) and decoded there.
    MulterModule.registerAsync({
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.search.imageMaxBytes, files: 1, fields: 0 } }),
      inject: [APP_CONFIG],
    }),
  ],
  controllers: [SearchController],
  providers: [SearchRepository, SearchService, QueryEmbeddings, ThumbnailUrls],
})
export class SearchModule {}
