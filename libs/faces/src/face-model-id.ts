import type { ModelInfo } from '@heimdex/ml';

/** How faces.embedding_model names a model: embeddings are compared only with others of the same id. */
export function faceModelId(model: ModelInfo): string {
  return `${model.name}@${model.version}`;
}
