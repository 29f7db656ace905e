/** Vector widths of the default models (MiniLM/e5-small text, CLIP ViT-B/32, face-api descriptors). */
export const EMBEDDING_DIMENSIONS = {
  text: 384,
  visual: 512,
  face: 128,
} as const;
