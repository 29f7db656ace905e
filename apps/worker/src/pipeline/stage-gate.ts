import { Injectable } from '@nestjs/common';
import type { JobStage } from '@heimdex/db';

/**
 * Where a started stage may be held before it does its work: an integration test holds `commit`
 * to look at a video between a re-run's stages and its commit. Nothing is held unless `hold` is called.
 */
@Injectable()
export class StageGate {
  private readonly held = new Map<JobStage, Promise<void>>();

  /** Holds every `stage` that starts from now on until the returned function is called. */
  hold(stage: JobStage): () => void {
    let release = () => undefined as void;
    this.held.set(
      stage,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.held.delete(stage);
      release();
    };
  }

  async pass(stage: JobStage): Promise<void> {
    await this.held.get(stage);
  }
}
