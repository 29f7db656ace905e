import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, Video } from '@heimdex/db';
import { type FfmpegBinaries, MediaCancelledError, type MediaRunLimits } from '@heimdex/media';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { join } from 'node:path';
import { FFMPEG_BINARIES } from '../media/media.providers';
import { ModelEngines } from '../models/model-engines';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { bitmapCaptions, bitmapSubtitleStream, embeddedCaptions, userCaptions } from './caption-transcripts';
import { hasAudio } from './media-info';
import type { TranscriptArtifact } from './transcript-artifact';

/**
 * asr_fast: the transcript with word times, kept for align_merge and the sidecar. Captions come
 * first: the user's, else a text subtitle stream in the file, else a bitmap one (PGS, DVD, DVB)
 * read by OCR, is the transcript, and speech recognition is not run. Otherwise (also when the
 * bitmap stream cannot be read) speech to text (Whisper from MODEL_DIR, else pocketsphinx) on
 * what Silero VAD calls speech.
 */
@Injectable()
export class AsrFastStage implements PipelineStage {
  readonly stage = JobStage.AsrFast;

  constructor(
    private readonly models: ModelEngines,
    private readonly artifacts: StageArtifacts,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FFMPEG_BINARIES) private readonly bins: FfmpegBinaries,
  ) {}

  async run({ video, workDir, write, mediaLimits }: StageContext): Promise<StageResult> {
    const language = this.config.ml.asrLanguage;
    const added = await userCaptions(video, this.artifacts, language);
    if (added) {
      await this.artifacts.putJson(videoKeys.transcript(video.userId, video.id), added.artifact);
      await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { language: added.artifact.language }));
      return {
        status: 'completed',
        model: added.artifact.model,
        note: `${added.cues} caption cue(s) added by the user (${added.format}); no speech recognition`,
      };
    }
    const captions = await embeddedCaptions(video, workDir, this.storage, this.bins, language);
    if (captions) {
      await this.artifacts.putJson(videoKeys.transcript(video.userId, video.id), captions.artifact);
      await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { language: captions.artifact.language }));
      return {
        status: 'completed',
        model: captions.artifact.model,
        note: `${captions.cues} caption cue(s) from the embedded ${captions.codec} stream; no speech recognition`,
      };
    }
    const bitmap = await this.bitmapTranscript(video, workDir, language, mediaLimits);
    if ('artifact' in bitmap) {
      await this.artifacts.putJson(videoKeys.transcript(video.userId, video.id), bitmap.artifact);
      await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { language: bitmap.artifact.language }));
      return { status: 'completed', model: bitmap.artifact.model, note: bitmap.note };
    }
    // Why a bitmap subtitle stream did not become the transcript, told with whatever happens instead.
    const unread = bitmap.note ? `; ${bitmap.note}` : '';
    if (!hasAudio(video)) return { status: 'skipped', reason: `no audio${unread}` };
    const asr = this.models.asr;
    if (!asr.available) return { status: 'skipped', reason: `${asr.reason}${unread}` };

    const wav = join(workDir, 'speech.wav');
    await this.storage.downloadToFile(videoKeys.speechAudio(video.userId, video.id), wav);
    const transcript = await asr.engine.transcribe(wav, { language: this.config.ml.asrLanguage });
    const artifact: TranscriptArtifact = { source: 'asr', model: asr.engine.model, language: transcript.language, segments: transcript.segments };
    await this.artifacts.putJson(videoKeys.transcript(video.userId, video.id), artifact);
    await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { language: transcript.language }));
    const words = transcript.segments.reduce((n, s) => n + s.words.length, 0);
    const speech = transcript.speech
      ? `; speech ${transcript.speech.seconds} s of ${transcript.speech.ofSeconds} s in ${transcript.speech.regions} region(s)`
      : '';
    return { status: 'completed', model: asr.engine.model, note: `${words} word(s), language ${transcript.language ?? 'unknown'}${speech}${unread}` };
  }

  /** The bitmap subtitle stream read by OCR, or why not (note empty: the file has none). */
  private async bitmapTranscript(
    video: Video,
    workDir: string,
    language: string | null,
    mediaLimits: MediaRunLimits,
  ): Promise<{ artifact: TranscriptArtifact; note: string } | { note: string }> {
    const stream = bitmapSubtitleStream(video);
    if (!stream) return { note: '' };
    const ocr = this.models.ocr;
    if (!ocr.available) return { note: `embedded ${stream.codec} subtitle stream not read: ${ocr.reason}` };
    let read: Awaited<ReturnType<typeof bitmapCaptions>>;
    try {
      read = await bitmapCaptions(video, workDir, this.storage, this.bins, ocr.engine, language, mediaLimits);
    } catch (err) {
      // Speech recognition still gives the video a transcript; a cancelled run stops here.
      if (err instanceof MediaCancelledError) throw err;
      return { note: `embedded ${stream.codec} subtitle stream not read: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
    if (!read) return { note: `embedded ${stream.codec} subtitle stream: OCR read no text in it` };
    const capped = read.capped ? ` (only the first ${read.pictures}: the cap)` : '';
    return {
      artifact: read.artifact,
      note: `${read.cues} caption cue(s) read by OCR from ${read.pictures} picture(s)${capped} of the embedded ${read.codec} stream; no speech recognition`,
    };
  }
}
