import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Scene, SceneFrame } from '@heimdex/db';
import { StageArtifacts } from '../pipeline/stage-artifacts';

export interface LoadedFrame extends SceneFrame {
  image: Buffer;
}

/**
 * The frames scene_detect kept, read back by the visual stages (no second decode of the video).
 * `load` gives every analysis frame of a scene in time order (what OCR, faces and any per-frame
 * model read); `summary` the few that stand for the whole scene, thumbnail first.
 */
@Injectable()
export class SceneFrames {
  constructor(
    private readonly orm: MikroORM,
    private readonly artifacts: StageArtifacts,
  ) {}

  scenes(videoId: string): Promise<Scene[]> {
    return this.orm.em.fork().find(Scene, { video: videoId }, { orderBy: { index: 'asc' } });
  }

  load(scene: Scene): Promise<LoadedFrame[]> {
    return this.fetch(scene, scene.frames);
  }

  summary(scene: Scene): Promise<LoadedFrame[]> {
    return this.fetch(scene, summaryFrames(scene.frames));
  }

  private async fetch(scene: Scene, frames: readonly SceneFrame[]): Promise<LoadedFrame[]> {
    const out: LoadedFrame[] = [];
    for (const frame of frames) {
      const image = await this.artifacts.getBuffer(frame.key);
      if (!image) throw new Error(`frame ${frame.key} of scene ${scene.index} is missing in storage`);
      out.push({ ...frame, image });
    }
    return out;
  }
}

/** The summary frames in their order (thumbnail first); scenes stored before summaries existed: all of them. */
export function summaryFrames<F extends SceneFrame>(frames: readonly F[]): F[] {
  const marked = frames.filter((f) => f.summary !== undefined).sort((a, b) => a.summary! - b.summary!);
  return marked.length ? marked : [...frames];
}
