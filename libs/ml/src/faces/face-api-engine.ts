import type { Box, DetectedFace, FaceDescription, FaceEngine, FoundFace, ModelInfo, Point } from '../engine-types';
import { l2Normalise } from '../vectors/l2-normalise';
import { decodeRgb, fitWithin, RgbImage } from './decode-image';
import { alignedFaceChip, CHIP_SIZE, FaceAnchors } from './face-chip';
import { plausibleHumanFace } from './face-plausibility';
import { BUNDLED_FACE_MODELS, FaceApi, faceApi, loadFaceApiNets, onTfjs } from './face-api-runtime';
import { SsdFace, SsdFaceDetector } from './ssd-face-detector';

export interface FaceApiEngineOptions {
  /** SSD detector score below which a face is dropped, 0..1. */
  minConfidence?: number;
  /** Detection runs with the longer side at most this; boxes come back in the original's pixels. */
  maxSide?: number;
  /** Folder with face-api's weight manifests; default: the weights the package ships. */
  modelDir?: string;
  /** onnxruntime threads for the SSD detector (ORT_THREADS). */
  ssdThreads?: number;
}

const DEFAULTS = { minConfidence: 0.5, maxSide: 1280 };

/**
 * Faces with face-api's models: SSD MobileNet v1 detection (its weights rebuilt as an ONNX graph
 * and run on onnxruntime, ssd-face-detector.ts: the same faces, 5x faster than tfjs's WASM), then
 * on tfjs's WASM backend 68-point landmarks, expressions, and 128-d ResNet descriptors computed on
 * eye-levelled crops (see face-chip.ts), L2-normalised so similarity is a dot product.
 */
export class FaceApiEngine implements FaceEngine {
  readonly dims = 128;

  private constructor(
    readonly model: ModelInfo,
    private readonly api: FaceApi,
    private readonly ssd: SsdFaceDetector,
    private readonly minConfidence: number,
    private readonly maxSide: number,
  ) {}

  static async create(options: FaceApiEngineOptions = {}): Promise<FaceApiEngine> {
    const minConfidence = options.minConfidence ?? DEFAULTS.minConfidence;
    const maxSide = options.maxSide ?? DEFAULTS.maxSide;
    if (!(minConfidence >= 0 && minConfidence <= 1)) throw new Error(`minConfidence must be within 0..1, got ${minConfidence}`);
    if (!(Number.isInteger(maxSide) && maxSide >= 64)) throw new Error(`maxSide must be an integer of at least 64, got ${maxSide}`);
    const api = await faceApi();
    const modelDir = options.modelDir ?? BUNDLED_FACE_MODELS;
    await loadFaceApiNets(api, modelDir);
    const ssd = await SsdFaceDetector.create({ modelDir, threads: options.ssdThreads ?? 1 });
    // '+level1': descriptors come from our eye-levelled crop, not face-api's own, so they are a space of their own.
    return new FaceApiEngine({ name: 'face-api-ssd-resnet128', version: `${api.version}+level1` }, api, ssd, minConfidence, maxSide);
  }

  async detect(image: Buffer): Promise<DetectedFace[]> {
    const full = await decodeRgb(image);
    const found = await this.findDecoded(full);
    const described = await this.describeDecoded(full, found);
    return found.map((f, i) => ({ box: f.box, score: f.score, ...described[i] }));
  }

  async findFaces(image: Buffer): Promise<FoundFace[]> {
    return this.findDecoded(await decodeRgb(image));
  }

  async describeFaces(image: Buffer, faces: FoundFace[]): Promise<FaceDescription[]> {
    if (!faces.length) return [];
    return this.describeDecoded(await decodeRgb(image), faces);
  }

  private async findDecoded(full: RgbImage): Promise<FoundFace[]> {
    const { image: small, scale } = await fitWithin(full, this.maxSide);
    // A box must keep some picture once clipped (SSD can place one in the square input's padding).
    const detections = (await this.ssd.detect(small, this.minConfidence)).filter(
      ({ box }) => Math.min(box.x + box.width, small.width) - box.x >= 1 && Math.min(box.y + box.height, small.height) - box.y >= 1,
    );
    if (!detections.length) return [];
    const landmarks = await this.landmarks(small, detections);
    const toOriginal = (p: Point): Point => ({ x: p.x / scale.x, y: p.y / scale.y });
    return detections
      .map((d, i) => ({
        box: clampBox({ x: d.box.x / scale.x, y: d.box.y / scale.y, width: d.box.width / scale.x, height: d.box.height / scale.y }, full),
        score: d.score,
        landmarks: landmarks[i].map(toOriginal),
      }))
      .filter((f) => plausibleHumanFace(f));
  }

  /** As face-api's withFaceLandmarks: the 68-point net on each box's crop (clipped, floored), shifted by the box's own corner. */
  private landmarks(image: RgbImage, detections: readonly SsdFace[]): Promise<Point[][]> {
    return onTfjs(async () => {
      const { tf, nets, Rect } = this.api;
      const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      try {
        const crops = await this.api.extractFaceTensors(
          input,
          detections.map(({ box }) => new Rect(box.x, box.y, box.width, box.height)),
        );
        try {
          if (crops.length !== detections.length) throw new Error(`face-api cut ${crops.length} crop(s) for ${detections.length} face(s)`);
          const out: Point[][] = [];
          for (const [i, crop] of crops.entries()) {
            const found = await nets.faceLandmark68Net.detectLandmarks(crop);
            const one = Array.isArray(found) ? found[0] : found;
            const { x, y } = detections[i].box;
            out.push(one.positions.map((p) => ({ x: p.x + x, y: p.y + y })));
          }
          return out;
        } finally {
          for (const t of crops) t.dispose();
        }
      } finally {
        input.dispose();
      }
    });
  }

  private async describeDecoded(full: RgbImage, faces: FoundFace[]): Promise<FaceDescription[]> {
    if (!faces.length) return [];
    for (const f of faces) {
      if (f.landmarks.length !== LANDMARKS) throw new Error(`a face needs ${LANDMARKS} landmarks to be described, got ${f.landmarks.length}`);
    }
    const chips = await Promise.all(faces.map((f) => alignedFaceChip(full, anchorsOf(f.landmarks))));
    return onTfjs(async () => {
      const { tf, nets } = this.api;
      const chipTensors = chips.map((chip) => tf.tensor3d(chip, [CHIP_SIZE, CHIP_SIZE, 3], 'int32'));
      const image = tf.tensor3d(full.data, [full.height, full.width, 3], 'int32');
      let descriptors: Float32Array | Float32Array[];
      const expressions: Record<string, number>[] = [];
      try {
        descriptors = await nets.faceRecognitionNet.computeFaceDescriptor(chipTensors);
        // As face-api's withFaceExpressions: the landmarks' bounding box, padded by a fifth.
        const crops = await this.api.extractFaceTensors(
          image,
          faces.map((f) => expressionRect(this.api, f.landmarks, full)),
        );
        try {
          for (const crop of crops) {
            const predicted = await nets.faceExpressionNet.predictExpressions(crop);
            const list = Array.isArray(predicted) ? predicted[0] : predicted;
            const byName: Record<string, number> = {};
            for (const { expression, probability } of list.asSortedArray()) byName[expression] = probability;
            expressions.push(byName);
          }
        } finally {
          for (const t of crops) t.dispose();
        }
      } finally {
        for (const t of chipTensors) t.dispose();
        image.dispose();
      }
      if (!Array.isArray(descriptors) || descriptors.length !== faces.length) {
        throw new Error(`face-api returned ${Array.isArray(descriptors) ? descriptors.length : 1} descriptor(s) for ${faces.length} face(s)`);
      }
      return faces.map((_, i) => ({ descriptor: l2Normalise(Float32Array.from(descriptors[i])), expressions: expressions[i] }));
    });
  }
}

const LANDMARKS = 68;

function anchorsOf(landmarks: readonly Point[]): FaceAnchors {
  return {
    leftEye: centroid(landmarks.slice(36, 42)),
    rightEye: centroid(landmarks.slice(42, 48)),
    mouth: centroid(landmarks.slice(48, 68)),
  };
}

function expressionRect(api: FaceApi, landmarks: readonly Point[], image: { width: number; height: number }) {
  const xs = landmarks.map((p) => p.x);
  const ys = landmarks.map((p) => p.y);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  const [w, h] = [Math.max(...xs) - x0, Math.max(...ys) - y0];
  const left = Math.max(0, x0 - w * 0.1);
  const top = Math.max(0, y0 - h * 0.1);
  return new api.Rect(left, top, Math.max(1, Math.min(image.width - left, w * 1.2)), Math.max(1, Math.min(image.height - top, h * 1.2)));
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
