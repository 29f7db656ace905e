import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { FaceIndexRepository, faceModelId, RematchRequests } from '@heimdex/faces';
import { OutboxDispatcher } from '@heimdex/queue';
import { ModelEngines } from '../models/model-engines';

/** At start: users with kept enrolment photos not yet embedded by the loaded face model get a re-match job, which embeds them. */
@Injectable()
export class FaceModelScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(FaceModelScheduler.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
    private readonly index: FaceIndexRepository,
    private readonly rematch: RematchRequests,
    private readonly outbox: OutboxDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const faces = this.models.faces;
    if (!faces.available) return;
    const model = faceModelId(faces.engine.model);
    const users = [...new Set((await this.index.photosLackingModel(this.orm.em.fork(), null, model)).map((p) => p.userId))];
    for (const userId of users) {
      await this.orm.em.fork().transactional(async (tx) => {
        await this.index.lockUser(tx, userId);
        await this.rematch.request(tx, userId);
      });
    }
    if (users.length) {
      this.logger.log(`${users.length} user(s) have kept enrolment photos not embedded with ${model}: re-match queued`);
      this.outbox.kick();
    }
  }
}
