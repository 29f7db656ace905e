import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegBinaries } from './ffmpeg-binaries';

/** Text subtitle codecs ffmpeg converts to WebVTT; bitmap ones (dvd_subtitle, hdmv_pgs_subtitle, dvb_subtitle) hold pictures, not text. */
export const TEXT_SUBTITLE_CODECS: readonly string[] = ['mov_text', 'subrip', 'srt', 'webvtt', 'ass', 'ssa', 'text'];

/** The first text subtitle stream (`-map 0:s:N`) as WebVTT, written to `output`. */
export function extractSubtitleWebVtt(bins: FfmpegBinaries, input: string, subtitleIndex: number, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    ffmpeg(input)
      .setFfmpegPath(bins.ffmpeg)
      .outputOptions(['-map', `0:s:${subtitleIndex}`, '-c:s', 'webvtt', '-f', 'webvtt'])
      .output(output)
      .on('error', (err: Error) => reject(new Error(`subtitle extraction failed: ${err.message.split('\n')[0]}`)))
      .on('end', () => resolve())
      .run();
  });
}
