import type { RgbImage } from './faces/decode-image';

/**
 * What the pipeline and the API need from models. Each engine is either available (with the
 * model that backs it, recorded on everything it produces) or unavailable with a reason that
 * the pipeline shows as a `skipped` stage.
 */
export interface ModelInfo {
  /** Stable identifier, e.g. `all-minilm-l6-v2`, `pocketsphinx-en-us`, `face-api-ssd-mobilenet`. */
  name: string;
  version: string;
}

export type Availability<T> = { available: true; engine: T } | { available: false; reason: string };

/** Sentence embeddings; vectors are L2-normalised. */
export interface TextEmbedder {
  readonly model: ModelInfo;
  readonly dims: number;
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]>;
}

/** CLIP: image and text towers in one space; vectors are L2-normalised. */
export interface ClipEmbedder {
  readonly model: ModelInfo;
  readonly dims: number;
  /** Encoded images (JPEG, PNG, WebP) */
  embedImages(images: Buffer[]): Promise<Float32Array[]>;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
}

export interface TranscriptWord {
  word: string;
  startS: number;
  endS: number;
  confidence: number | null;
}

export interface TranscriptSegment {
  startS: number;
  endS: number;
  text: string;
  words: TranscriptWord[];
}

export interface Transcript {
  /** ISO 639-1 when known (detected or configured). */
  language: string | null;
  segments: TranscriptSegment[];
  /** When voice activity detection chose what was decoded: how many regions, how many seconds of how many. */
  speech?: { regions: number; seconds: number; ofSeconds: number };
}

export interface AsrEngine {
  readonly model: ModelInfo;
  /** `wavPath`: 16 kHz mono PCM WAV. */
  transcribe(wavPath: string, options: { language: string | null }): Promise<Transcript>;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  box: Box;
}

export interface OcrEngine {
  readonly model: ModelInfo;
  /** An encoded image (JPEG, PNG, WebP). */
  read(image: Buffer): Promise<OcrLine[]>;
}

/**
 * An OCR engine that also offers detection and recognition as separate calls, for a caller that
 * skips reading boxes it has read before. Methods only (no properties), so an engine in a thread
 * offers them too; `stepwiseOcr()` tells whether an engine has them.
 */
export interface StepwiseOcr extends OcrEngine {
  /** Text boxes (single words or runs of words), in the image's pixels; with `region`, only those in it. */
  detect(image: RgbImage, region?: Box): Promise<Box[]>;
  /**
   * The text in the boxes, in the order given, each reading with the box it was read in (text may
   * be empty): one per box, or one per line where a box turns out to hold two stacked lines.
   */
  recognise(image: RgbImage, boxes: readonly Box[]): Promise<OcrLine[]>;
}

export interface Point {
  x: number;
  y: number;
}

/** Where a face is, without what it looks like: what a FaceDetector gives for every frame. */
export interface FoundFace {
  /** In pixels of the image given. */
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
  /** 68 points in the iBUG 300-W order (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67), in pixels of the image given. */
  landmarks: Point[];
}

/** What a face looks like: computed only for the faces asked about (it costs more than finding them). */
export interface FaceDescription {
  /** L2-normalised descriptor (128-d for face-api). */
  descriptor: Float32Array;
  /** Expression probabilities, e.g. { happy: 0.9, neutral: 0.05, ... }; empty when the model has none. */
  expressions: Record<string, number>;
}

export interface DetectedFace extends FaceDescription {
  /** In pixels of the image given. */
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
}

/*
 * Arguments and results of these methods are structured-cloneable (Buffers, typed arrays, plain
 * objects), so an engine can sit behind a worker-thread proxy that forwards method calls.
 */

export interface FaceDetector {
  readonly model: ModelInfo;
  /** An encoded image (JPEG, PNG, WebP); EXIF orientation is applied. Faces that are not plausible human faces are left out. */
  findFaces(image: Buffer): Promise<FoundFace[]>;
}

export interface FaceDescriber {
  readonly model: ModelInfo;
  readonly dims: number;
  /** Descriptors and expressions of `faces` (as found by findFaces on the same image), in their order. */
  describeFaces(image: Buffer, faces: FoundFace[]): Promise<FaceDescription[]>;
}

export interface FaceEngine extends FaceDetector, FaceDescriber {
  /** findFaces and describeFaces in one: every face of a photo, described. */
  detect(image: Buffer): Promise<DetectedFace[]>;
}

export interface DetectedObject {
  /** A COCO class name, e.g. `dog`, `car`, `traffic light`. */
  label: string;
  /** Detector confidence 0..1. */
  score: number;
  /** In pixels of the image given. */
  box: Box;
}

export interface ObjectDetector {
  readonly model: ModelInfo;
  /** Confidence below which a detection is dropped. */
  readonly minConfidence: number;
  /** An encoded image (JPEG, PNG, WebP); EXIF orientation is applied. */
  detect(image: Buffer): Promise<DetectedObject[]>;
}

/** nsfwjs's classes, each 0..1, summing to 1. */
export interface ModerationScores {
  drawing: number;
  hentai: number;
  neutral: number;
  porn: number;
  sexy: number;
}

export interface ModerationClassifier {
  readonly model: ModelInfo;
  /** An encoded image (JPEG, PNG, WebP); EXIF orientation is applied. */
  classify(image: Buffer): Promise<ModerationScores>;
}

export interface IdentifiedLanguage {
  /** ISO 639-1; null when the text is too short or the model is unsure, or names a language without a 639-1 code. */
  language: string | null;
  /** The model's probability for its best guess (0 when nothing was tried). */
  confidence: number;
}

export interface LanguageIdentifier {
  readonly model: ModelInfo;
  identify(text: string): IdentifiedLanguage;
}
