import { DynamicModule, Global, Module } from '@nestjs/common';
import { OBJECT_STORAGE, type ObjectStorage } from './object-storage';

/** Provides an already-built ObjectStorage as OBJECT_STORAGE everywhere. The apps call ensureBucket() before they build the module. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(storage: ObjectStorage): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: OBJECT_STORAGE, useValue: storage }],
      exports: [OBJECT_STORAGE],
    };
  }
}
