import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Scene, SceneFrame } from '@heimdex/db';
import { StageArtifacts } from '../pipeline/stage-artifacts';

export interface LoadedFrame extends SceneFrame {
  image: Buffer;
}

/** The frames scene_detect kept, read back by the visual stages (no second decode of the video). */
@Injectable()
export class SceneFrames {
  constructor(
    private readonly orm: MikroORM,
    private readonly artifacts: StageArtifacts,
  ) {}

  scenes(videoId: string): Promise<Scene[]> {
    return this.orm.em.fork().find(Scene, { video: videoId }, { orderBy: { index: 'asc' } });
  }

  async load(scene: Scene): Promise<LoadedFrame[]> {
    const out: LoadedFrame[] = [];
    for (const frame of scene.frames) {
      const image = await this.artifacts.getBuffer(frame.key);
      if (!image) throw new Error(`frame ${frame.key} of scene ${scene.index} is missing in storage`);
      out.push({ ...frame, image });
    }
    return out;
  }
}
