import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Video, VideoState } from '@heimdex/db';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SOURCE_KEY = new RegExp(`^videos/(${UUID})/(${UUID})/source$`, 'i');

/**
 * Whether a signed PUT may still write its object: only a video's source, and only while that
 * video is `uploading`. Once `complete` moved it on, the validated bytes cannot be swapped.
 */
@Injectable()
export class UploadGate {
  constructor(private readonly em: EntityManager) {}

  async isOpen(key: string): Promise<boolean> {
    const m = SOURCE_KEY.exec(key);
    if (!m) return false;
    const video = await this.em.fork().findOne(Video, { id: m[2], userId: m[1] }, { fields: ['state', 'storageKey'] });
    return video?.state === VideoState.Uploading && video.storageKey === key;
  }
}
