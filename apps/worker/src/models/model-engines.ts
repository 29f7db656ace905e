import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import {
  AsrEngine,
  Availability,
  ClipEmbedder,
  ENGINE_LOADERS,
  EngineLoaderName,
  EngineOf,
  EnginePool,
  FaceEngine,
  findVerifiedModel,
  gateSpeech,
  loadAsr,
  loadClip,
  LanguageIdentifier,
  loadLanguageIdentifier,
  ModerationClassifier,
  ObjectDetector,
  loadTextEmbedder,
  ModelRegistry,
  OcrEngine,
  TextEmbedder,
} from '@heimdex/ml';

/**
 * The models this worker has, loaded once at start. Each is available or carries the reason
 * it is not; a stage whose model is unavailable is `skipped` with that reason. The per-frame
 * vision engines (OCR, faces, objects, moderation) each load and run in a worker thread of their
 * own (ML_ENGINE_THREADS, default on): their loads and inference leave this event loop free (BullMQ
 * renews its locks on it; onnxruntime-node infers on the calling thread) and the vision stages
 * that use them run at the same time.
 */
@Injectable()
export class ModelEngines implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ModelEngines.name);
  private readonly lazy = new Map<string, Promise<Availability<unknown>>>();
  private readonly pools: EnginePool<EngineLoaderName>[] = [];
  private loaded: {
    text: Availability<TextEmbedder>;
    clip: Availability<ClipEmbedder>;
    asr: Availability<AsrEngine>;
    ocr: Availability<OcrEngine>;
    faces: Availability<FaceEngine>;
  } | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const registry = await ModelRegistry.load(this.config.modelDir);
    const [text, clip, asr, ocr, faces] = await Promise.all([
      loadTextEmbedder(this.config, registry),
      loadClip(this.config, registry),
      findVerifiedModel(registry, 'asr-whisper', this.config.ml.whisperModel)
        .then((whisper) => loadAsr(this.config, whisper))
        .then((asr) => gateSpeech(this.config, asr)),
      // Two OCR threads: the OCR stage reads two scenes at once, OCR being the longest visual stage.
      this.vision('ocr', Math.min(2, availableParallelism())),
      this.vision('faces'),
    ]);
    this.loaded = { text, clip, asr, ocr, faces };
    for (const [feature, a] of Object.entries(this.loaded)) {
      this.logger.log(a.available ? `${feature}: ${a.engine.model.name} ${a.engine.model.version}` : `${feature}: off (${a.reason})`);
    }
    const ml = this.config.ml;
    const lazy: [string, boolean, string][] = [
      ['objects', ml.objectsEnabled, 'OBJECTS_ENABLED'],
      ['moderation', ml.moderationEnabled, 'MODERATION_ENABLED'],
      ['language', ml.languageIdEnabled, 'LANGUAGE_ID_ENABLED'],
    ];
    for (const [feature, on, env] of lazy) this.logger.log(`${feature}: ${on ? `on (${env}=true), model loaded on first use` : `off (${env}=false)`}`);
  }

  /** Each signal with its model or the reason it is off: the start banner lists them. */
  summary(): { signal: string; on: boolean; detail: string }[] {
    const labels: Record<keyof NonNullable<ModelEngines['loaded']>, string> = { ocr: 'OCR', faces: 'faces', asr: 'speech', text: 'text vectors', clip: 'CLIP' };
    return (Object.keys(labels) as (keyof typeof labels)[]).map((key) => {
      const a = this.get()[key];
      return { signal: labels[key], on: a.available, detail: a.available ? `${a.engine.model.name} ${a.engine.model.version}` : a.reason };
    });
  }

  get text(): Availability<TextEmbedder> {
    return this.get().text;
  }

  get clip(): Availability<ClipEmbedder> {
    return this.get().clip;
  }

  get asr(): Availability<AsrEngine> {
    return this.get().asr;
  }

  get ocr(): Availability<OcrEngine> {
    return this.get().ocr;
  }

  get faces(): Availability<FaceEngine> {
    return this.get().faces;
  }

  /** Loaded on first use (the first video that reaches vision_objects), once per process. */
  objects(): Promise<Availability<ObjectDetector>> {
    return this.onFirstUse('objects', () => this.vision('objects'));
  }

  /** Loaded on first use (the first video that reaches vision_moderation), once per process. */
  moderation(): Promise<Availability<ModerationClassifier>> {
    return this.onFirstUse('moderation', () => this.vision('moderation'));
  }

  /** Loaded on first use (the first video that reaches language_detect), once per process. */
  language(): Promise<Availability<LanguageIdentifier>> {
    return this.onFirstUse('language', () => loadLanguageIdentifier(this.config));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((p) => p.close()));
  }

  /** A per-frame vision engine, in `threads` threads of its own unless ML_ENGINE_THREADS=false. */
  private async vision<N extends EngineLoaderName>(name: N, threads = 1): Promise<Availability<EngineOf<N>>> {
    if (!this.config.ml.engineThreads) return (await ENGINE_LOADERS[name](this.config)) as Availability<EngineOf<N>>;
    const pool = await EnginePool.start(name, this.config, threads);
    if (pool.availability.available) this.pools.push(pool);
    return pool.availability;
  }

  private onFirstUse<T extends { model: { name: string; version: string } }>(feature: string, load: () => Promise<Availability<T>>): Promise<Availability<T>> {
    let loading = this.lazy.get(feature) as Promise<Availability<T>> | undefined;
    if (!loading) {
      loading = load().then((a) => {
        this.logger.log(a.available ? `${feature}: ${a.engine.model.name} ${a.engine.model.version}` : `${feature}: off (${a.reason})`);
        return a;
      });
      this.lazy.set(feature, loading);
    }
    return loading;
  }

  private get(): NonNullable<ModelEngines['loaded']> {
    if (!this.loaded) throw new Error('models are not loaded yet');
    return this.loaded;
  }
}
