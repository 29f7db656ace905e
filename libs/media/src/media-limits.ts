import type { MediaRunLimits } from './media-process';

/** Configured bounds for media children (MEDIA_MEMORY_LIMIT_MB, MEDIA_TIMEOUT_BASE_S, MEDIA_TIMEOUT_PER_MEDIA_S). */
export interface MediaLimitSettings {
  /** 0: no address-space limit. */
  memoryMb: number;
  /** Every child gets this much wall clock... */
  timeoutBaseS: number;
  /** ...plus this many seconds per second of media it reads. */
  timeoutPerMediaS: number;
}

/** The limits for one child reading `mediaDurationS` seconds of media (null: unknown yet, base only). */
export function mediaLimitsFor(settings: MediaLimitSettings, mediaDurationS: number | null, signal?: AbortSignal): MediaRunLimits {
  const seconds = settings.timeoutBaseS + settings.timeoutPerMediaS * Math.max(0, mediaDurationS ?? 0);
  return { memoryMb: settings.memoryMb > 0 ? settings.memoryMb : null, timeoutMs: Math.round(seconds * 1000), signal };
}
