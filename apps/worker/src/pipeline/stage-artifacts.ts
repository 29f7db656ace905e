import { Inject, Injectable } from '@nestjs/common';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';

/** Intermediate results stages hand to later stages through object storage (any worker may run the next stage). */
@Injectable()
export class StageArtifacts {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async putJson(key: string, value: unknown): Promise<void> {
    await this.storage.put(key, Buffer.from(JSON.stringify(value)), { contentType: 'application/json' });
  }

  /** null when the object is missing. */
  async getJson<T>(key: string): Promise<T | null> {
    const buf = await this.getBuffer(key);
    return buf ? (JSON.parse(buf.toString('utf8')) as T) : null;
  }

  async getBuffer(key: string): Promise<Buffer | null> {
    if (!(await this.storage.stat(key))) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.getStream(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
