/** Video types accepted for upload. The pipeline's ffprobe check is what finally decides. */
export const ALLOWED_CONTENT_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/x-msvideo',
  'video/mpeg',
  'video/mp2t',
  'video/ogg',
  'video/3gpp',
  'video/x-m4v',
] as const;

/** A plain file name: no folders, separators, control characters, or dot-only names. */
export const PLAIN_FILENAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f\u007f]{1,255}$/;
