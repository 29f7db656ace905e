import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { FacesModule } from '@heimdex/faces';
import { EnrolmentService } from './enrolment.service';
import { FaceClustersController } from './face-clusters.controller';
import { FaceClustersRepository } from './face-clusters.repository';
import { FaceClustersService } from './face-clusters.service';
import { FaceEngineLoader } from './face-engine.loader';
import { PeopleController } from './people.controller';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';
import { PhotoUploadErrors } from './photo-upload-errors.interceptor';

@Module({
  imports: [
    FacesModule,
    // Photos stay in memory (at most FACE_PHOTO_MAX_BYTES): they are embedded, and stored only on request.
    MulterModule.registerAsync({
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.ml.facePhotoMaxBytes, files: 1, fields: 10, parts: 12 } }),
      inject: [APP_CONFIG],
    }),
  ],
  controllers: [PeopleController, FaceClustersController],
  providers: [PeopleRepository, PeopleService, EnrolmentService, FaceClustersRepository, FaceClustersService, FaceEngineLoader, PhotoUploadErrors],
})
export class PeopleModule {}
