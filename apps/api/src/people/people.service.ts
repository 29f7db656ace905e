import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { Face, Person } from '@heimdex/db';
import { FaceIndexRepository, RematchRequests } from '@heimdex/faces';
import { OutboxDispatcher } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import type { AuthUser } from '../auth/auth-user';
import type { PageQuery } from './dto/page.query';
import type { AppearanceDto, EnrolledFaceDto, PersonDto, PersonListDto } from './dto/person.dto';
import { decodeKeyset, encodeKeyset } from './keyset-cursor';
import { PeopleRepository, PersonStats } from './people.repository';

/**
 * The rules of people: CRUD scoped to the owner, merging, deletion (their enrolment embeddings
 * and kept photos go; their scene faces become unnamed). Every change to who a user's people
 * are happens under the user's faces lock and queues a re-match of their stored faces.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly em: EntityManager,
    private readonly people: PeopleRepository,
    private readonly index: FaceIndexRepository,
    private readonly rematch: RematchRequests,
    private readonly outbox: OutboxDispatcher,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, name: string): Promise<PersonDto> {
    const person = new Person();
    person.userId = user.id;
    person.name = name;
    await this.em.fork().persistAndFlush(person);
    return this.view(person);
  }

  async list(user: AuthUser, q: PageQuery): Promise<PersonListDto> {
    const limit = q.limit ?? 50;
    const rows = await this.people.page(user.id, { limit: limit + 1, after: q.cursor ? decodeKeyset(q.cursor, 'string') : undefined });
    const page = rows.slice(0, limit);
    const stats = await this.people.stats(page.map((p) => p.id));
    const last = page[page.length - 1];
    return {
      items: page.map((p) => toPersonDto(p, stats.get(p.id)!)),
      nextCursor: rows.length > limit && last ? encodeKeyset({ key: last.name, id: last.id }) : null,
    };
  }

  async get(user: AuthUser, id: string): Promise<PersonDto> {
    return this.view(await this.requireOwned(user, id));
  }

  async rename(user: AuthUser, id: string, name: string): Promise<PersonDto> {
    const em = this.em.fork();
    const person = await this.people.findOwned(user.id, id, em);
    if (!person) throw new NotFoundException('person not found');
    person.name = name;
    await em.flush();
    return this.view(person);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await this.index.lockUser(tx, user.id);
      const person = await this.people.findOwned(user.id, id, tx);
      if (!person) throw new NotFoundException('person not found');
      const photos = await this.people.photoKeys(tx, person.id);
      await this.people.deleteEnrolments(tx, person.id);
      await this.index.unname(tx, { personId: person.id });
      tx.remove(person);
      await tx.flush();
      await this.rematch.request(tx, user.id, photos);
    });
    this.outbox.kick();
  }

  /** Moves every face of `fromPersonId` (enrolments and scene faces) to `id` and deletes it; the re-match settles scenes where both were named. */
  async merge(user: AuthUser, id: string, fromPersonId: string): Promise<PersonDto> {
    if (id === fromPersonId) throw new BadRequestException('a person cannot be merged into themselves: fromPersonId must be another person');
    const person = await this.em.fork().transactional(async (tx) => {
      await this.index.lockUser(tx, user.id);
      const [into, from] = await Promise.all([this.people.findOwned(user.id, id, tx), this.people.findOwned(user.id, fromPersonId, tx)]);
      if (!into) throw new NotFoundException('person not found');
      if (!from) throw new NotFoundException('fromPersonId: person not found');
      await this.people.moveFaces(tx, from.id, into.id);
      tx.remove(from);
      await tx.flush();
      await this.rematch.request(tx, user.id);
      return into;
    });
    this.outbox.kick();
    return this.view(person);
  }

  async appearances(user: AuthUser, id: string): Promise<AppearanceDto[]> {
    const person = await this.requireOwned(user, id);
    return this.people.appearances(user.id, person.id);
  }

  async enrolments(user: AuthUser, id: string): Promise<EnrolledFaceDto[]> {
    const person = await this.requireOwned(user, id);
    return Promise.all((await this.people.enrolments(person.id)).map((f) => this.enrolledFaceView(f, person.id)));
  }

  /** Removes one enrolled face (with the other models' embeddings of the same kept photo, and the photo). */
  async removeEnrolment(user: AuthUser, id: string, faceId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await this.index.lockUser(tx, user.id);
      const person = await this.people.findOwned(user.id, id, tx);
      if (!person) throw new NotFoundException('person not found');
      const face = await this.people.findEnrolment(tx, person.id, faceId);
      if (!face) throw new NotFoundException('enrolled face not found');
      const photos = face.photoKey ? [face.photoKey] : [];
      await this.people.deleteEnrolments(tx, person.id, face);
      await this.rematch.request(tx, user.id, photos);
    });
    this.outbox.kick();
  }

  async enrolledFaceView(f: Face, personId: string): Promise<EnrolledFaceDto> {
    return {
      id: f.id,
      personId,
      embeddingModel: f.embeddingModel,
      box: f.box,
      score: f.confidence,
      photoUrl: f.photoKey ? (await this.storage.presignGet(f.photoKey, { ttlS: this.config.uploads.playbackTtlS })).url : null,
      createdAt: f.createdAt,
    };
  }

  async view(person: Person): Promise<PersonDto> {
    const stats = await this.people.stats([person.id]);
    return toPersonDto(person, stats.get(person.id)!);
  }

  async requireOwned(user: AuthUser, id: string, em?: EntityManager): Promise<Person> {
    const person = await this.people.findOwned(user.id, id, em);
    if (!person) throw new NotFoundException('person not found');
    return person;
  }
}

function toPersonDto(p: Person, stats: PersonStats): PersonDto {
  return { id: p.id, name: p.name, ...stats, createdAt: p.createdAt, updatedAt: p.updatedAt };
}
