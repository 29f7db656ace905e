import type { ModelManifest } from '../registry/model-manifest';

/** A model `npm run models -- pull` knows how to fetch from the Hugging Face Hub and describe. */
export interface RecommendedModel {
  name: string;
  description: string;
  /** Pulled when `pull` is given no names. */
  byDefault: boolean;
  repo: string;
  revision: string;
  dims: number;
  /** `remote`: path in the repository; `path`: where it goes in the model's folder. */
  files: { remote: string; path: string }[];
  /** Optional inputs (attention mask, token type ids) are kept only if the downloaded graph has them. */
  spec: ModelManifest['spec'];
}

const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export const RECOMMENDED_MODELS: RecommendedModel[] = [
  {
    name: 'all-minilm-l6-v2',
    description: 'English sentence embeddings (sentence-transformers all-MiniLM-L6-v2), 384 dims',
    byDefault: true,
    repo: 'Xenova/all-MiniLM-L6-v2',
    revision: 'main',
    dims: 384,
    files: [
      { remote: 'onnx/model.onnx', path: 'model.onnx' },
      { remote: 'tokenizer.json', path: 'tokenizer.json' },
      { remote: 'tokenizer_config.json', path: 'tokenizer_config.json' },
    ],
    spec: {
      task: 'text-embedding',
      model: 'model.onnx',
      tokenizer: 'tokenizer.json',
      inputs: { ids: 'input_ids', mask: 'attention_mask', typeIds: 'token_type_ids' },
      output: 'last_hidden_state',
      pooling: 'mean',
      maxLength: 256,
      queryPrefix: '',
      passagePrefix: '',
    },
  },
  {
    name: 'multilingual-e5-small',
    description: 'Multilingual sentence embeddings (intfloat multilingual-e5-small), 384 dims; set TEXT_EMBEDDING_MODEL to use it',
    byDefault: false,
    repo: 'Xenova/multilingual-e5-small',
    revision: 'main',
    dims: 384,
    files: [
      { remote: 'onnx/model.onnx', path: 'model.onnx' },
      { remote: 'tokenizer.json', path: 'tokenizer.json' },
      { remote: 'tokenizer_config.json', path: 'tokenizer_config.json' },
    ],
    spec: {
      task: 'text-embedding',
      model: 'model.onnx',
      tokenizer: 'tokenizer.json',
      inputs: { ids: 'input_ids', mask: 'attention_mask', typeIds: 'token_type_ids' },
      output: 'last_hidden_state',
      pooling: 'mean',
      maxLength: 512,
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
    },
  },
  {
    name: 'clip-vit-base-patch32',
    description: 'CLIP ViT-B/32 image and text towers (openai/clip-vit-base-patch32), 512 dims',
    byDefault: true,
    repo: 'Xenova/clip-vit-base-patch32',
    revision: 'main',
    dims: 512,
    files: [
      { remote: 'onnx/vision_model.onnx', path: 'vision_model.onnx' },
      { remote: 'onnx/text_model.onnx', path: 'text_model.onnx' },
      { remote: 'tokenizer.json', path: 'tokenizer.json' },
      { remote: 'tokenizer_config.json', path: 'tokenizer_config.json' },
    ],
    spec: {
      task: 'clip',
      image: { model: 'vision_model.onnx', input: 'pixel_values', output: 'image_embeds' },
      text: {
        model: 'text_model.onnx',
        tokenizer: 'tokenizer.json',
        inputs: { ids: 'input_ids', mask: 'attention_mask' },
        output: 'text_embeds',
        maxLength: 77,
      },
      preprocessing: { size: 224, mean: CLIP_MEAN, std: CLIP_STD },
    },
  },
  {
    name: 'whisper-base',
    description: 'Whisper base, multilingual speech recognition (transformers.js export)',
    byDefault: true,
    repo: 'Xenova/whisper-base',
    revision: 'main',
    dims: 0,
    files: [
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
    ].map((f) => ({ remote: f, path: f })),
    spec: { task: 'asr-whisper', folder: '.', dtype: 'fp32', multilingual: true },
  },
];
