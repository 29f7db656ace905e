import { Module } from '@nestjs/common';
import { LocalStorageController } from './local-storage.controller';

/** Mounted only when the embedded (local disk) storage driver is in use. */
@Module({ controllers: [LocalStorageController] })
export class LocalStorageModule {}
