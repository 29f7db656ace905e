import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';

/** Presigned GET URLs for scene thumbnails, valid as long as playback URLs; shared by every route that lists scenes. */
@Injectable()
export class ThumbnailUrls {
  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forKey(key: string | null): Promise<string | null> {
    if (!key) return null;
    return (await this.storage.presignGet(key, { ttlS: this.config.uploads.playbackTtlS })).url;
  }
}
