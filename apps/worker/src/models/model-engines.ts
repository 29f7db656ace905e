import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import {
  AsrEngine,
  Availability,
  ClipEmbedder,
  FaceEngine,
  findVerifiedModel,
  gateSpeech,
  loadAsr,
  loadClip,
  loadFaces,
  loadOcr,
  loadTextEmbedder,
  ModelRegistry,
  OcrEngine,
  TextEmbedder,
} from '@heimdex/ml';

/**
 * The models this worker has, loaded once at start. Each is available or carries the reason
 * it is not; a stage whose model is unavailable is `skipped` with that reason.
 */
@Injectable()
export class ModelEngines implements OnModuleInit {
  private readonly logger = new Logger(ModelEngines.name);
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
      loadOcr(this.config),
      loadFaces(this.config),
    ]);
    this.loaded = { text, clip, asr, ocr, faces };
    for (const [feature, a] of Object.entries(this.loaded)) {
      this.logger.log(a.available ? `${feature}: ${a.engine.model.name} ${a.engine.model.version}` : `${feature}: off (${a.reason})`);
    }
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

  private get(): NonNullable<ModelEngines['loaded']> {
    if (!this.loaded) throw new Error('models are not loaded yet');
    return this.loaded;
  }
}
