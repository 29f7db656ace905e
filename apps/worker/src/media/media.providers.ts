import { Logger, type Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { MediaProbe, resolveFfmpegBinaries } from '@heimdex/media';

export const FFMPEG_BINARIES = Symbol('FFMPEG_BINARIES');

/** ffmpeg/ffprobe resolved once per process: configured, on PATH, or shipped by npm; which one is logged at start. */
export const MEDIA_PROVIDERS: Provider[] = [
  {
    provide: FFMPEG_BINARIES,
    useFactory: (config: AppConfig) => {
      const bins = resolveFfmpegBinaries(config.media);
      new Logger('Media').log(`ffmpeg ${bins.version} at ${bins.ffmpeg} (${bins.source.ffmpeg}); ffprobe at ${bins.ffprobe} (${bins.source.ffprobe})`);
      return bins;
    },
    inject: [APP_CONFIG],
  },
  { provide: MediaProbe, useFactory: (bins: ReturnType<typeof resolveFfmpegBinaries>) => new MediaProbe(bins), inject: [FFMPEG_BINARIES] },
];
