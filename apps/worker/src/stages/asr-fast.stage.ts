import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, Video } from '@heimdex/db';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { join } from 'node:path';
import { ModelEngines } from '../models/model-engines';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { hasAudio } from './media-info';
import type { TranscriptArtifact } from './transcript-artifact';

/** asr_fast: speech to text with word times (Whisper from MODEL_DIR, else pocketsphinx), kept for align_merge and the sidecar. */
@Injectable()
export class AsrFastStage implements PipelineStage {
  readonly stage = JobStage.AsrFast;

  constructor(
    private readonly models: ModelEngines,
    private readonly artifacts: StageArtifacts,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run({ video, workDir, write }: StageContext): Promise<StageResult> {
    if (!hasAudio(video)) return { status: 'skipped', reason: 'no audio' };
    const asr = this.models.asr;
    if (!asr.available) return { status: 'skipped', reason: asr.reason };

    const wav = join(workDir, 'speech.wav');
    await this.storage.downloadToFile(videoKeys.speechAudio(video.userId, video.id), wav);
    const transcript = await asr.engine.transcribe(wav, { language: this.config.ml.asrLanguage });
    const artifact: TranscriptArtifact = { model: asr.engine.model, language: transcript.language, segments: transcript.segments };
    await this.artifacts.putJson(videoKeys.transcript(video.userId, video.id), artifact);
    await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { language: transcript.language }));
    const words = transcript.segments.reduce((n, s) => n + s.words.length, 0);
    const speech = transcript.speech ? `; speech ${transcript.speech.seconds} s of ${transcript.speech.ofSeconds} s in ${transcript.speech.regions} region(s)` : '';
    return { status: 'completed', model: asr.engine.model, note: `${words} word(s), language ${transcript.language ?? 'unknown'}${speech}` };
  }
}
