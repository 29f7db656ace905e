import { BadRequestException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { Face, FaceSource, Person } from '@heimdex/db';
import { FaceIndexRepository, faceModelId, RematchRequests } from '@heimdex/faces';
import { OutboxDispatcher } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage, peopleKeys } from '@heimdex/storage';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import type { EnrolledFaceDto } from './dto/person.dto';
import { prepareEnrolmentPhoto } from './enrolment-photo';
import { FaceEngineLoader } from './face-engine.loader';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';

/**
 * Enrolment from a photo: exactly one face, embedded with the same face model the pipeline
 * uses; the embedding is kept with the model's id, the photo only when asked for.
 */
@Injectable()
export class EnrolmentService {
  constructor(
    private readonly em: EntityManager,
    private readonly people: PeopleRepository,
    private readonly peopleService: PeopleService,
    private readonly index: FaceIndexRepository,
    private readonly rematch: RematchRequests,
    private readonly engines: FaceEngineLoader,
    private readonly outbox: OutboxDispatcher,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enrol(user: AuthUser, personId: string, upload: Buffer | undefined, keepPhoto: boolean): Promise<EnrolledFaceDto> {
    await this.peopleService.requireOwned(user, personId);
    if (!upload?.length) throw new BadRequestException('send the photo as a multipart/form-data file in the field "image"');
    const photo = await prepareEnrolmentPhoto(upload, this.config.ml.facePhotoMaxPixels);
    const engine = await this.engines.get();
    const faces = await engine.detect(photo.jpeg);
    if (faces.length === 0)
      throw new UnprocessableEntityException('no face was found in the photo: send a photo in which the person’s face is clearly visible');
    if (faces.length > 1)
      throw new UnprocessableEntityException(`${faces.length} faces were found in the photo: send a photo with exactly one face (crop it to the person)`);
    const [face] = faces;

    const faceId = randomUUID();
    const photoKey = keepPhoto ? peopleKeys.photo(user.id, faceId) : null;
    if (photoKey) await this.storage.put(photoKey, photo.jpeg, { contentType: 'image/jpeg' });
    try {
      const row = await this.em.fork().transactional(async (tx) => {
        await this.index.lockUser(tx, user.id);
        // Deleted while the photo was being read: nothing is kept.
        if (!(await this.people.findOwned(user.id, personId, tx))) throw new NotFoundException('person not found');
        const f = new Face();
        Object.assign(f, {
          id: faceId,
          userId: user.id,
          source: FaceSource.Enrollment,
          person: tx.getReference(Person, personId),
          embedding: Array.from(face.descriptor),
          embeddingModel: faceModelId(engine.model),
          confidence: face.score,
          box: face.box,
          photoKey,
        });
        tx.persist(f);
        await tx.flush();
        await this.rematch.request(tx, user.id);
        return f;
      });
      this.outbox.kick();
      return this.peopleService.enrolledFaceView(row, personId);
    } catch (err) {
      if (photoKey) await this.storage.deletePrefix(photoKey);
      throw err;
    }
  }
}
