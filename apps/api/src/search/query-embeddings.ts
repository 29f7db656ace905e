import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { userFacingReason } from '@heimdex/observability';
import { EMBEDDING_DIMENSIONS } from '@heimdex/db';
import { Availability, ClipEmbedder, loadClip, loadTextEmbedder, ModelInfo, ModelRegistry, TextEmbedder } from '@heimdex/ml';
import { LruCache } from './lru-cache';

/** A query vector and the model that made it (`name@version`, as the pipeline records it on scenes). */
export interface QueryVector {
  vector: number[];
  model: string;
}

export type Embedded = QueryVector | { unavailable: string };

interface Engines {
  text: Availability<TextEmbedder>;
  clip: Availability<ClipEmbedder>;
}

/**
 * The API's copies of the pipeline's text and CLIP engines, loaded from MODEL_DIR through the
 * same registry code as the worker's, so a query lands in the same space as the scene vectors.
 * Loading starts when the app has started (without delaying it); the first search waits for it.
 * Query vectors are cached per model and text.
 */
@Injectable()
export class QueryEmbeddings implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueryEmbeddings.name);
  private engines: Promise<Engines> | null = null;
  private readonly cache: LruCache<string, number[]>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.cache = new LruCache(config.search.queryCacheSize);
  }

  onApplicationBootstrap(): void {
    void this.load();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.engines) return;
    const { text, clip } = await this.engines;
    for (const a of [text, clip]) if (a.available) await (a.engine as Partial<{ close(): Promise<void> }>).close?.();
  }

  async text(query: string): Promise<Embedded> {
    const { text } = await this.load();
    if (!text.available) return { unavailable: userFacingReason(text.reason) };
    const engine = text.engine;
    return this.cached(engine.model, `text:${query}`, async () => (await engine.embed([query], 'query'))[0]);
  }

  /** CLIP's text tower: a query against scene pictures. */
  async clipText(query: string): Promise<Embedded> {
    const { clip } = await this.load();
    if (!clip.available) return { unavailable: userFacingReason(clip.reason) };
    const engine = clip.engine;
    return this.cached(engine.model, `clip-text:${query}`, async () => (await engine.embedTexts([query]))[0]);
  }

  async clipStatus(): Promise<{ available: true } | { available: false; reason: string }> {
    const { clip } = await this.load();
    return clip.available ? { available: true } : { available: false, reason: userFacingReason(clip.reason) };
  }

  /** CLIP's image tower; `image` has been decoded once already, so errors here are the model's. */
  async clipImage(image: Buffer): Promise<Embedded> {
    const { clip } = await this.load();
    if (!clip.available) return { unavailable: userFacingReason(clip.reason) };
    const [vector] = await clip.engine.embedImages([image]);
    return { vector: Array.from(vector), model: modelId(clip.engine.model) };
  }

  private async cached(model: ModelInfo, key: string, embed: () => Promise<Float32Array>): Promise<QueryVector> {
    const id = modelId(model);
    const cacheKey = `${id}\u0000${key}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return { vector: hit, model: id };
    const vector = Array.from(await embed());
    this.cache.set(cacheKey, vector);
    return { vector, model: id };
  }

  private load(): Promise<Engines> {
    this.engines ??= (async () => {
      const registry = await ModelRegistry.load(this.config.modelDir);
      const [text, clip] = await Promise.all([loadTextEmbedder(this.config, registry), loadClip(this.config, registry)]);
      const engines = { text: fitting(text, EMBEDDING_DIMENSIONS.text), clip: fitting(clip, EMBEDDING_DIMENSIONS.visual) };
      for (const [name, a] of Object.entries(engines)) {
        this.logger.log(a.available ? `search ${name}: ${a.engine.model.name} ${a.engine.model.version}` : `search ${name}: off (${a.reason})`);
      }
      return engines;
    })();
    return this.engines;
  }
}

function modelId(model: ModelInfo): string {
  return `${model.name}@${model.version}`;
}

/** A model whose vectors do not fit the scene columns cannot be searched with. */
function fitting<E extends { dims: number; model: ModelInfo }>(a: Availability<E>, dims: number): Availability<E> {
  if (!a.available || a.engine.dims === dims) return a;
  return { available: false, reason: `${a.engine.model.name} makes ${a.engine.dims}-d vectors; scenes store ${dims}-d` };
}
