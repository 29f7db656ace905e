import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { LocalStorageController } from './local-storage.controller';
import { UploadGate } from './upload-gate';
import { UploadSlots } from './upload-slots';

/** Mounted only when the embedded (local disk) storage driver is in use. */
@Module({
  controllers: [LocalStorageController],
  providers: [UploadGate, { provide: UploadSlots, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new UploadSlots(config.http.uploadsPerUserMax) }],
})
export class LocalStorageModule {}
