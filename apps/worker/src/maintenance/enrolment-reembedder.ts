import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Face, FaceSource, Person } from '@heimdex/db';
import { FaceIndexRepository, faceModelId } from '@heimdex/faces';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import type { Readable } from 'node:stream';
import { ModelEngines } from '../models/model-engines';

/**
 * After the face model changes, a person's enrolments from kept photos are embedded again with
 * the loaded model (the old rows stay: tracks of videos not yet reprocessed are still in the old
 * model's space). Enrolments whose photo was not kept cannot follow: the person API shows them
 * per model so the user can enrol a new photo.
 */
@Injectable()
export class EnrolmentReembedder {
  private readonly logger = new Logger(EnrolmentReembedder.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
    private readonly index: FaceIndexRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async reembedUser(userId: string): Promise<{ added: number; unusable: number }> {
    const faces = this.models.faces;
    if (!faces.available) return { added: 0, unusable: 0 };
    const model = faceModelId(faces.engine.model);
    let added = 0;
    let unusable = 0;
    for (const photo of await this.index.photosLackingModel(this.orm.em.fork(), userId, model)) {
      if (!(await this.storage.stat(photo.photoKey))) {
        this.logger.warn(`kept photo ${photo.photoKey} is missing from storage; person ${photo.personId} needs a new photo for ${model}`);
        unusable++;
        continue;
      }
      const found = await faces.engine.detect(await readAll(await this.storage.getStream(photo.photoKey)));
      if (found.length !== 1) {
        this.logger.warn(`${model} finds ${found.length} faces in kept photo ${photo.photoKey}; person ${photo.personId} needs a new photo`);
        unusable++;
        continue;
      }
      const stored = await this.orm.em.fork().transactional(async (tx) => {
        await this.index.lockUser(tx, userId);
        // The person or the photo may have been deleted while the photo was read...
        if (!(await tx.count(Face, { photoKey: photo.photoKey, person: photo.personId }))) return false;
        // ...or another re-match of this user (one job per revision; two can run at once) embedded it first.
        if (await tx.count(Face, { photoKey: photo.photoKey, embeddingModel: model })) return false;
        const face = new Face();
        Object.assign(face, {
          userId,
          source: FaceSource.Enrollment,
          person: tx.getReference(Person, photo.personId),
          embedding: Array.from(found[0].descriptor),
          embeddingModel: model,
          confidence: found[0].score,
          box: found[0].box,
          photoKey: photo.photoKey,
        });
        tx.persist(face);
        return true;
      });
      if (stored) added++;
    }
    if (added || unusable) this.logger.log(`user ${userId}: ${added} kept photo(s) embedded with ${model}, ${unusable} unusable`);
    return { added, unusable };
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
