/** Absolute file paths (temp folders, MODEL_DIR, DATA_DIR): not preceded by a word character, ':' or '/', so URLs and "24/7" stay. */
const ABSOLUTE_PATH = /(?<![\w.:/\\-])\/[^\s/'"(),;]+(?:\/[^\s'"(),;]*)+/g;
/** ffmpeg's log prefix: `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x2fbb9240] `. */
const FFMPEG_CONTEXT = /\[[^\]\n]*@ 0x[0-9a-f]+\]\s*/gi;
const ADDRESS = /\b0x[0-9a-f]{6,}\b/gi;
const MAX_LENGTH = 500;

/**
 * The one place an internal error message becomes a reason users see (a failed stage, a video's
 * error, an unavailable search signal): the server's file paths and memory addresses are taken
 * out, the rest is kept because it says what was wrong. The full message goes to the log.
 */
export function userFacingReason(message: string): string {
  const cleaned = message
    .replace(FFMPEG_CONTEXT, '')
    .replace(ABSOLUTE_PATH, '<server path>')
    .replace(ADDRESS, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  return cleaned.length > MAX_LENGTH ? `${cleaned.slice(0, MAX_LENGTH - 1)}…` : cleaned;
}
