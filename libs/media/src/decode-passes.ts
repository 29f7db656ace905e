/**
 * Counts full decodes of a video's picture in this process. The visual stages share one pass
 * (scene_detect's); bench:pipeline reports this number so a second pass shows up.
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
