import type { Video } from '@heimdex/db';
import {
  BITMAP_SUBTITLE_CODECS,
  extractBitmapSubtitleEvents,
  extractSubtitleWebVtt,
  type FfmpegBinaries,
  type MediaRunLimits,
  TEXT_SUBTITLE_CODECS,
} from '@heimdex/media';
import { type OcrEngine, readSubtitlePicture } from '@heimdex/ml';
import { type CaptionCue, captionSegments, parseCaptions } from '@heimdex/sidecar';
import { type ObjectStorage, videoKeys } from '@heimdex/storage';
import type { StageArtifacts } from '../pipeline/stage-artifacts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TranscriptArtifact } from './transcript-artifact';

/** Bitmap subtitle pictures read at most: a feature film has one to two thousand. */
export const MAX_BITMAP_SUBTITLE_EVENTS = 3000;

/** Which of the video's subtitle streams (`0:s:N`) holds text, and its codec; null when none does. */
export function textSubtitleStream(video: Video): { index: number; codec: string } | null {
  return subtitleStream(video, TEXT_SUBTITLE_CODECS);
}

/** Which of the video's subtitle streams (`0:s:N`) holds pictures of text (PGS, DVD, DVB), and its codec; null when none does. */
export function bitmapSubtitleStream(video: Video): { index: number; codec: string } | null {
  return subtitleStream(video, BITMAP_SUBTITLE_CODECS);
}

function subtitleStream(video: Video, codecs: readonly string[]): { index: number; codec: string } | null {
  const subtitles = ((video.mediaInfo?.streams ?? []) as { type?: string; codec?: string | null }[]).filter((s) => s.type === 'subtitle');
  const index = subtitles.findIndex((s) => s.codec && codecs.includes(s.codec));
  return index < 0 ? null : { index, codec: subtitles[index].codec ?? 'unknown' };
}

/**
 * The transcript from the video's own text subtitle stream (mov_text, subrip, webvtt, ass/ssa),
 * converted to WebVTT by ffmpeg and parsed; null when there is none or it holds no cues.
 */
export async function embeddedCaptions(
  video: Video,
  workDir: string,
  storage: ObjectStorage,
  bins: FfmpegBinaries,
  language: string | null,
): Promise<{ artifact: TranscriptArtifact; cues: number; codec: string } | null> {
  const stream = textSubtitleStream(video);
  if (!stream) return null;
  const source = join(workDir, 'source');
  const vtt = join(workDir, 'captions.vtt');
  await storage.downloadToFile(video.storageKey, source);
  await extractSubtitleWebVtt(bins, source, stream.index, vtt);
  const cues = parseCaptions(await readFile(vtt, 'utf8'), 'webvtt');
  if (!cues.length) return null;
  return {
    artifact: { source: 'captions', model: { name: 'captions', version: `embedded-${stream.codec}` }, language, segments: captionSegments(cues) },
    cues: cues.length,
    codec: stream.codec,
  };
}

/**
 * The transcript read by OCR from the video's bitmap subtitle stream: each picture's text is a
 * cue, on screen from when the picture appears until it changes. null when there is no such
 * stream or OCR reads no text in it.
 */
export async function bitmapCaptions(
  video: Video,
  workDir: string,
  storage: ObjectStorage,
  bins: FfmpegBinaries,
  ocr: OcrEngine,
  language: string | null,
  limits: MediaRunLimits,
): Promise<{ artifact: TranscriptArtifact; cues: number; pictures: number; capped: boolean; codec: string } | null> {
  const stream = bitmapSubtitleStream(video);
  if (!stream) return null;
  const source = join(workDir, 'source');
  await storage.downloadToFile(video.storageKey, source);
  const { events, capped } = await extractBitmapSubtitleEvents(bins, source, stream.index, workDir, {
    maxEvents: MAX_BITMAP_SUBTITLE_EVENTS,
    durationS: video.durationS,
    limits,
  });
  const cues: CaptionCue[] = [];
  for (const event of events) {
    const { text } = await readSubtitlePicture(ocr, event.image);
    if (text) cues.push({ startS: event.startS, endS: event.endS, text });
  }
  if (!cues.length) return null;
  const model = { name: 'captions', version: `embedded-${stream.codec}+ocr-${ocr.model.name}-${ocr.model.version}` };
  return {
    artifact: { source: 'captions', model, language, segments: captionSegments(cues) },
    cues: cues.length,
    pictures: events.length,
    capped,
    codec: stream.codec,
  };
}

/** Captions the user added (PUT /v1/videos/:id/captions, parsed and stored by the API); null when there are none. */
export async function userCaptions(
  video: Video,
  artifacts: StageArtifacts,
  language: string | null,
): Promise<{ artifact: TranscriptArtifact; cues: number; format: string } | null> {
  const stored = await artifacts.getJson<{ format: string; cues: CaptionCue[] }>(videoKeys.userCaptions(video.userId, video.id));
  if (!stored || !stored.cues.length) return null;
  return {
    artifact: { source: 'captions', model: { name: 'captions', version: `user-${stored.format}` }, language, segments: captionSegments(stored.cues) },
    cues: stored.cues.length,
    format: stored.format,
  };
}
