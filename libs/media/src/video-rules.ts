import type { ProbeResult } from './media-probe';

export interface VideoLimits {
  maxDurationS: number;
  maxWidth: number;
  maxHeight: number;
  /** Budget for one full decode: width × height × frames (frame count, else frame rate × duration). */
  maxDecodePixels: number;
}

export interface AcceptedVideo {
  durationS: number;
  width: number;
  height: number;
  container: string;
  videoCodec: string;
  audioCodec: string | null;
}

const IMAGE_CONTAINERS = /^(image2|png_pipe|jpeg_pipe|webp_pipe|gif|bmp_pipe|tiff_pipe|svg_pipe)/;

/**
 * Decides whether a probed file is a video Heimdex indexes. Returns the human-readable reason
 * on rejection: it is shown to the user as the failed stage's error.
 */
export function checkVideo(probe: ProbeResult, limits: VideoLimits): { ok: true; video: AcceptedVideo } | { ok: false; reason: string } {
  const video = probe.streams.find((s) => s.type === 'video' && s.codec !== 'mjpeg' && s.codec !== 'png');
  const audio = probe.streams.find((s) => s.type === 'audio');
  if (IMAGE_CONTAINERS.test(probe.formatName)) return { ok: false, reason: `a still image (${probe.formatName}), not a video` };
  if (!video) {
    return { ok: false, reason: audio ? 'the file has audio but no video stream' : 'the file has no video stream' };
  }
  if (!video.width || !video.height) return { ok: false, reason: 'the video stream has no frame size' };
  if (probe.durationS === null || probe.durationS <= 0) return { ok: false, reason: 'the video has zero or unknown duration' };
  if (probe.durationS > limits.maxDurationS) {
    return { ok: false, reason: `the video lasts ${Math.round(probe.durationS)} s; the limit is ${limits.maxDurationS} s` };
  }
  if (video.width > limits.maxWidth || video.height > limits.maxHeight) {
    return { ok: false, reason: `the resolution ${video.width}x${video.height} exceeds the ${limits.maxWidth}x${limits.maxHeight} limit` };
  }
  const frames = decodedFrames(video, probe.durationS);
  const cost = video.width * video.height * frames;
  if (cost > limits.maxDecodePixels) {
    return {
      ok: false,
      reason:
        `decoding it would cost ${gigapixels(cost)} gigapixels (${video.width}x${video.height} x ${Math.round(frames)} frames); ` +
        `the budget is ${gigapixels(limits.maxDecodePixels)} (MAX_DECODE_PIXELS)`,
    };
  }
  return {
    ok: true,
    video: {
      durationS: probe.durationS,
      width: video.width,
      height: video.height,
      container: probe.formatName,
      videoCodec: video.codec ?? 'unknown',
      audioCodec: audio?.codec ?? null,
    },
  };
}

/** Frames a full decode produces: the larger of the stated count and rate × duration (30 fps when neither is stated). */
function decodedFrames(video: ProbeResult['streams'][number], durationS: number): number {
  const byRate = video.frameRate ? durationS * video.frameRate : 0;
  const stated = video.frames && video.frames > 0 ? video.frames : 0;
  return Math.max(stated, byRate) || durationS * 30;
}

function gigapixels(pixels: number): string {
  return (pixels / 1e9).toFixed(pixels < 1e10 ? 2 : 0);
}
