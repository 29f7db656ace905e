import { Inject, Injectable } from '@nestjs/common';
import { JobStage } from '@heimdex/db';
import { extractSpeechWav, FfmpegBinaries, measureLoudness } from '@heimdex/media';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { FFMPEG_BINARIES } from '../media/media.providers';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { hasAudio } from './media-info';
import { downloadValidatedSource } from './validated-source';

/** audio_extract: the first audio track as 16 kHz mono WAV for speech, and its loudness over time for mood tags. */
@Injectable()
export class AudioExtractStage implements PipelineStage {
  readonly stage = JobStage.AudioExtract;

  constructor(
    @Inject(FFMPEG_BINARIES) private readonly bins: FfmpegBinaries,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly artifacts: StageArtifacts,
  ) {}

  async run({ video, workDir, mediaLimits }: StageContext): Promise<StageResult> {
    if (!hasAudio(video)) return { status: 'skipped', reason: 'no audio: the video has no audio stream' };
    const source = join(workDir, 'source');
    const wav = join(workDir, 'speech.wav');
    await downloadValidatedSource(this.storage, video, source);
    await extractSpeechWav(this.bins, source, wav, mediaLimits);
    const loudness = await measureLoudness(this.bins, wav, mediaLimits);
    await this.storage.put(videoKeys.speechAudio(video.userId, video.id), createReadStream(wav), { contentType: 'audio/wav' });
    await this.artifacts.putJson(videoKeys.loudness(video.userId, video.id), loudness);
    return { status: 'completed', model: { name: 'ffmpeg-ebur128', version: '1' }, note: `16 kHz mono, ${loudness.lufs.length / 10} s` };
  }
}
