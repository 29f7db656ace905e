/**
 * Counts full decodes of a video's picture in this process. The visual stages share one pass
 * (scene_detect's); bench:pipeline also counts them from outside, through an ffmpeg wrapper.
 */
let passes = 0;

export const decodePasses = {
  record(): void {
    passes += 1;
  },
  count(): number {
    return passes;
  },
};
