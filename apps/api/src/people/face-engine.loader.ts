import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { userFacingReason } from '@heimdex/observability';
import { EMBEDDING_DIMENSIONS } from '@heimdex/db';
import { Availability, FaceEngine, loadFaces } from '@heimdex/ml';

/** A failed load is tried again after this long, not on every request. */
const RETRY_AFTER_MS = 60_000;

/**
 * The face engine for enrolment, loaded on first use through the same libs/ml loader the worker
 * uses (so the embeddings are of the same model): the API does not pay for it until a photo
 * comes. Unavailable (FACES_ENABLED=false, or the weights failed to load) → 503 with the reason.
 */
@Injectable()
export class FaceEngineLoader {
  private readonly logger = new Logger(FaceEngineLoader.name);
  private loading: { at: number; result: Promise<Availability<FaceEngine>> } | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async get(): Promise<FaceEngine> {
    const loaded = await this.availability();
    if (!loaded.available) throw new ServiceUnavailableException(`face enrolment is unavailable: ${userFacingReason(loaded.reason)}`);
    if (loaded.engine.dims !== EMBEDDING_DIMENSIONS.face) {
      throw new ServiceUnavailableException(
        `face enrolment is unavailable: the face model makes ${loaded.engine.dims}-d embeddings; faces store ${EMBEDDING_DIMENSIONS.face}-d`,
      );
    }
    return loaded.engine;
  }

  private async availability(): Promise<Availability<FaceEngine>> {
    if (this.loading) {
      const current = await this.loading.result;
      if (current.available || Date.now() < this.loading.at + RETRY_AFTER_MS) return current;
    }
    const result = loadFaces(this.config);
    this.loading = { at: Date.now(), result };
    const loaded = await result;
    this.logger.log(loaded.available ? `faces: ${loaded.engine.model.name} ${loaded.engine.model.version}` : `faces: off (${loaded.reason})`);
    return loaded;
  }
}
