import type { Box, DetectedFace, FaceEngine, ModelInfo } from '../engine-types';
import { l2Normalise } from '../vectors/l2-normalise';
import { decodeRgb, fitWithin, RgbImage } from './decode-image';
import { alignedFaceChip, CHIP_SIZE, FaceAnchors, Point } from './face-chip';
import { BUNDLED_FACE_MODELS, FaceApi, faceApi, loadFaceApiNets, onTfjs } from './face-api-runtime';

export interface FaceApiEngineOptions {
  /** SSD detector score below which a face is dropped, 0..1. */
  minConfidence?: number;
  /** Detection runs with the longer side at most this; boxes come back in the original's pixels. */
  maxSide?: number;
  /** Folder with face-api's weight manifests; default: the weights the package ships. */
  modelDir?: string;
}

const DEFAULTS = { minConfidence: 0.5, maxSide: 1280 };

/**
 * Faces with face-api (tfjs, WASM backend): SSD MobileNet v1 detection, 68-point landmarks,
 * expressions, and 128-d ResNet descriptors computed on eye-levelled crops (see face-chip.ts),
 * L2-normalised so similarity is a dot product.
 */
export class FaceApiEngine implements FaceEngine {
  readonly dims = 128;

  private constructor(
    readonly model: ModelInfo,
    private readonly api: FaceApi,
    private readonly minConfidence: number,
    private readonly maxSide: number,
  ) {}

  static async create(options: FaceApiEngineOptions = {}): Promise<FaceApiEngine> {
    const minConfidence = options.minConfidence ?? DEFAULTS.minConfidence;
    const maxSide = options.maxSide ?? DEFAULTS.maxSide;
    if (!(minConfidence >= 0 && minConfidence <= 1)) throw new Error(`minConfidence must be within 0..1, got ${minConfidence}`);
    if (!(Number.isInteger(maxSide) && maxSide >= 64)) throw new Error(`maxSide must be an integer of at least 64, got ${maxSide}`);
    const api = await faceApi();
    await loadFaceApiNets(api, options.modelDir ?? BUNDLED_FACE_MODELS);
    // '+level1': descriptors come from our eye-levelled crop, not face-api's own, so they are a space of their own.
    return new FaceApiEngine({ name: 'face-api-ssd-resnet128', version: `${api.version}+level1` }, api, minConfidence, maxSide);
  }

  async detect(image: Buffer): Promise<DetectedFace[]> {
    const full = await decodeRgb(image);
    const { image: small, scale } = await fitWithin(full, this.maxSide);
    return onTfjs(() => this.detectDecoded(full, small, scale));
  }

  private async detectDecoded(full: RgbImage, small: RgbImage, scale: { x: number; y: number }): Promise<DetectedFace[]> {
    const { tf, nets } = this.api;
    const input = tf.tensor3d(small.data, [small.height, small.width, 3], 'int32');
    let found;
    try {
      found = await this.api
        .detectAllFaces(input, new this.api.SsdMobilenetv1Options({ minConfidence: this.minConfidence }))
        .withFaceLandmarks()
        .withFaceExpressions();
    } finally {
      input.dispose();
    }
    if (!found.length) return [];

    const toOriginal = (p: Point): Point => ({ x: p.x / scale.x, y: p.y / scale.y });
    const chips = await Promise.all(
      found.map((f) => {
        const anchors: FaceAnchors = {
          leftEye: toOriginal(centroid(f.landmarks.getLeftEye())),
          rightEye: toOriginal(centroid(f.landmarks.getRightEye())),
          mouth: toOriginal(centroid(f.landmarks.getMouth())),
        };
        return alignedFaceChip(full, anchors);
      }),
    );
    const chipTensors = chips.map((chip) => tf.tensor3d(chip, [CHIP_SIZE, CHIP_SIZE, 3], 'int32'));
    let descriptors: Float32Array | Float32Array[];
    try {
      descriptors = await nets.faceRecognitionNet.computeFaceDescriptor(chipTensors);
    } finally {
      for (const t of chipTensors) t.dispose();
    }
    if (!Array.isArray(descriptors) || descriptors.length !== found.length) {
      throw new Error(`face-api returned ${Array.isArray(descriptors) ? descriptors.length : 1} descriptor(s) for ${found.length} face(s)`);
    }

    return found.map((f, i) => {
      const box = f.detection.box;
      const expressions: Record<string, number> = {};
      for (const { expression, probability } of f.expressions.asSortedArray()) expressions[expression] = probability;
      return {
        box: clampBox({ x: box.x / scale.x, y: box.y / scale.y, width: box.width / scale.x, height: box.height / scale.y }, full),
        score: f.detection.score,
        descriptor: l2Normalise(Float32Array.from(descriptors[i])),
        expressions,
      };
    });
  }
}

function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

/** Whole pixels, inside the image. */
function clampBox(b: Box, image: { width: number; height: number }): Box {
  const x0 = Math.max(0, Math.round(b.x));
  const y0 = Math.max(0, Math.round(b.y));
  const x1 = Math.min(image.width, Math.round(b.x + b.width));
  const y1 = Math.min(image.height, Math.round(b.y + b.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
