import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { FaceIndexRepository, RematchRequests } from '@heimdex/faces';
import { OutboxDispatcher } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import type { AuthUser } from '../auth/auth-user';
import type { ClusterAssignedDto, ClusterFaceDto, FaceClusterDetailDto, FaceClusterDto, FaceClusterListDto } from './dto/face-cluster.dto';
import type { PageQuery } from './dto/page.query';
import { ClusterFaceRow, ClusterRow, FaceClustersRepository } from './face-clusters.repository';
import { decodeKeyset, encodeKeyset } from './keyset-cursor';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';

/**
 * Enrolled from an assigned cluster: at most this many of its faces (those nearest its middle)
 * become the person's faces, so a large cluster does not make every later comparison slower.
 */
const MAX_ENROLLED_FROM_CLUSTER = 20;

/** Unnamed faces grouped by likeness (the worker keeps the clusters), and naming a group. */
@Injectable()
export class FaceClustersService {
  constructor(
    private readonly em: EntityManager,
    private readonly clusters: FaceClustersRepository,
    private readonly people: PeopleRepository,
    private readonly peopleService: PeopleService,
    private readonly index: FaceIndexRepository,
    private readonly rematch: RematchRequests,
    private readonly outbox: OutboxDispatcher,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, q: PageQuery): Promise<FaceClusterListDto> {
    const limit = q.limit ?? 50;
    const rows = await this.clusters.page(user.id, {
      minSize: this.config.ml.faceClusterMinSize,
      limit: limit + 1,
      after: q.cursor ? decodeKeyset(q.cursor, 'number') : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await Promise.all(page.map((c) => this.view(c))),
      nextCursor: rows.length > limit && last ? encodeKeyset({ key: last.size, id: last.id }) : null,
    };
  }

  async get(user: AuthUser, id: string): Promise<FaceClusterDetailDto> {
    const cluster = await this.clusters.findOwned(user.id, id);
    if (!cluster) throw new NotFoundException('face cluster not found');
    const faces = await Promise.all((await this.clusters.members(cluster.id)).map((m) => this.faceView(m)));
    return { ...(await this.view(cluster)), faces };
  }

  /**
   * Names every face of the cluster after the person and enrols the most typical ones as the
   * person's faces; the re-match then finds the person elsewhere too.
   */
  async assign(user: AuthUser, id: string, personId: string): Promise<ClusterAssignedDto> {
    const { person, named, enrolled } = await this.em.fork().transactional(async (tx) => {
      await this.index.lockUser(tx, user.id);
      if (!(await this.clusters.exists(tx, user.id, id))) throw new NotFoundException('face cluster not found');
      const owner = await this.people.findOwned(user.id, personId, tx);
      if (!owner) throw new NotFoundException('personId: person not found');
      const counts = await this.clusters.assign(tx, id, user.id, owner.id, MAX_ENROLLED_FROM_CLUSTER);
      await this.rematch.request(tx, user.id);
      return { person: owner, ...counts };
    });
    this.outbox.kick();
    return { person: await this.peopleService.view(person), named, enrolled };
  }

  private async view(c: ClusterRow): Promise<FaceClusterDto> {
    return {
      id: c.id,
      size: c.size,
      videos: c.videos,
      embeddingModel: c.embeddingModel,
      representative: c.representative ? await this.faceView(c.representative) : null,
      updatedAt: c.updatedAt,
    };
  }

  private async faceView(f: ClusterFaceRow): Promise<ClusterFaceDto> {
    return {
      faceId: f.faceId,
      videoId: f.videoId,
      sceneId: f.sceneId,
      startS: f.startS,
      endS: f.endS,
      thumbnailUrl: f.thumbnailKey ? (await this.storage.presignGet(f.thumbnailKey, { ttlS: this.config.uploads.playbackTtlS })).url : null,
    };
  }
}
