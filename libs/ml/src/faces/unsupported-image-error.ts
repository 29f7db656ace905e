/** The input is not an image the engines read (not an image at all, animated, or too large); `message` says which, for people. */
export class UnsupportedImageError extends Error {
  override readonly name = 'UnsupportedImageError';
}
