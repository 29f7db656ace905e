import { InferenceSession, Tensor } from 'onnxruntime-node';
import { createOnnxSession } from '../onnx/onnx-session';
import type { Box } from '../engine-types';
import type { RgbImage } from './decode-image';
import { buildSsdMobilenetOnnx } from './ssd-mobilenet-onnx';

/** face-api's SSD input side. */
const INPUT = 512;
/** As face-api's SsdMobilenetv1.locateFaces: at most this many faces, overlapping boxes above this IoU suppressed. */
const MAX_RESULTS = 100;
const IOU_THRESHOLD = 0.5;

export interface SsdFace {
  /** In the picture's pixels. */
  box: Box;
  score: number;
}

/**
 * face-api's SSD MobileNet v1 face detector on onnxruntime (graph: ssd-mobilenet-onnx.ts), with
 * face-api's own pre- and post-processing: the picture padded to a square at its bottom or right,
 * resized bilinearly to 512 × 512, scaled to -1..1; boxes decoded from the anchors, scores through
 * a sigmoid, then the same greedy non-maximum suppression. It runs in the faces engine thread:
 * onnxruntime aborts the process when a thread is terminated during a run, so EngineThread closes
 * a thread only once its calls have finished.
 */
export class SsdFaceDetector {
  private constructor(
    private readonly session: InferenceSession,
    private readonly anchors: Float32Array,
  ) {}

  static async create(options: { modelDir: string; threads: number }): Promise<SsdFaceDetector> {
    const { model, anchors } = await buildSsdMobilenetOnnx(options.modelDir);
    const session = await createOnnxSession({ name: `face-api SSD from ${options.modelDir}`, bytes: model }, { threads: options.threads });
    return new SsdFaceDetector(session, anchors);
  }

  async detect(image: RgbImage, minConfidence: number): Promise<SsdFace[]> {
    const out = await this.session.run({ image: new Tensor('float32', squareInput(image), [1, 3, INPUT, INPUT]) });
    const encodings = out.boxes.data as Float32Array;
    const classes = out.classes.data as Float32Array;
    const count = this.anchors.length / 4;
    if (encodings.length !== count * 4 || classes.length !== count * 3) throw new Error(`SSD gave ${encodings.length / 4} boxes for ${count} anchors`);
    const boxes = decodeBoxes(this.anchors, encodings);
    const scores = new Float32Array(count);
    for (let i = 0; i < count; i++) scores[i] = 1 / (1 + Math.exp(-classes[i * 3 + 1]));
    const scale = INPUT / Math.max(image.width, image.height);
    const padX = INPUT / Math.round(image.width * scale);
    const padY = INPUT / Math.round(image.height * scale);
    return nonMaxSuppression(boxes, scores, minConfidence).map((i) => {
      const top = Math.max(0, boxes[i * 4]) * padY * image.height;
      const left = Math.max(0, boxes[i * 4 + 1]) * padX * image.width;
      const bottom = Math.min(1, boxes[i * 4 + 2]) * padY * image.height;
      const right = Math.min(1, boxes[i * 4 + 3]) * padX * image.width;
      return { box: { x: left, y: top, width: right - left, height: bottom - top }, score: scores[i] };
    });
  }
}

/**
 * As face-api's NetInput.toBatchTensor(512): zeros appended to make the picture square, a
 * bilinear resize without aligned corners or half-pixel centres (tf.image.resizeBilinear's
 * defaults), then x / 127.5 - 1; laid out NCHW. Each output column's source columns and weight
 * are worked out once, not per row and channel (the same arithmetic, so the same floats).
 */
export function squareInput(image: RgbImage): Float32Array {
  const { width, height, data } = image;
  const side = Math.max(width, height);
  const ratio = side / INPUT;
  const out = new Float32Array(3 * INPUT * INPUT);
  const plane = INPUT * INPUT;
  // Byte offsets of each output column's two source pixels in a row; -1 where they fall in the padding.
  const left = new Int32Array(INPUT);
  const right = new Int32Array(INPUT);
  const weight = new Float64Array(INPUT);
  for (let ox = 0; ox < INPUT; ox++) {
    const sx = ox * ratio;
    const x0 = Math.floor(sx);
    const x1 = x0 + 1 < side - 1 ? x0 + 1 : side - 1;
    left[ox] = x0 < width ? x0 * 3 : -1;
    right[ox] = x1 < width ? x1 * 3 : -1;
    weight[ox] = sx - x0;
  }
  for (let oy = 0; oy < INPUT; oy++) {
    const sy = oy * ratio;
    const y0 = Math.floor(sy);
    const y1 = y0 + 1 < side - 1 ? y0 + 1 : side - 1;
    const fy = sy - y0;
    const upper = y0 < height ? y0 * width * 3 : -1;
    const lower = y1 < height ? y1 * width * 3 : -1;
    for (let ox = 0; ox < INPUT; ox++) {
      const a = left[ox];
      const b = right[ox];
      const fx = weight[ox];
      const o = oy * INPUT + ox;
      for (let c = 0; c < 3; c++) {
        const p00 = upper >= 0 && a >= 0 ? data[upper + a + c] : 0;
        const p10 = upper >= 0 && b >= 0 ? data[upper + b + c] : 0;
        const p01 = lower >= 0 && a >= 0 ? data[lower + a + c] : 0;
        const p11 = lower >= 0 && b >= 0 ? data[lower + b + c] : 0;
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[c * plane + o] = (top + (bottom - top) * fy) / 127.5 - 1;
      }
    }
  }
  return out;
}

/** face-api's decodeBoxesLayer: centre offsets / 10 and log sizes / 5 relative to each anchor; out: ymin, xmin, ymax, xmax. */
function decodeBoxes(anchors: Float32Array, encodings: Float32Array): Float32Array {
  const out = new Float32Array(encodings.length);
  for (let i = 0; i < encodings.length; i += 4) {
    const sizeY = anchors[i + 2] - anchors[i];
    const sizeX = anchors[i + 3] - anchors[i + 1];
    const centreY = anchors[i] + sizeY / 2;
    const centreX = anchors[i + 1] + sizeX / 2;
    const halfY = (Math.exp(encodings[i + 2] / 5) * sizeY) / 2;
    const halfX = (Math.exp(encodings[i + 3] / 5) * sizeX) / 2;
    const y = (encodings[i] / 10) * sizeY + centreY;
    const x = (encodings[i + 1] / 10) * sizeX + centreX;
    out[i] = y - halfY;
    out[i + 1] = x - halfX;
    out[i + 2] = y + halfY;
    out[i + 3] = x + halfX;
  }
  return out;
}

/** face-api's greedy non-maximum suppression (ssdMobilenetv1/nonMaxSuppression.ts): indices, best first. */
function nonMaxSuppression(boxes: Float32Array, scores: Float32Array, minScore: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > minScore) candidates.push(i);
  candidates.sort((a, b) => scores[b] - scores[a]);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= MAX_RESULTS) break;
    if (selected.every((s) => iou(boxes, c, s) <= IOU_THRESHOLD)) selected.push(c);
  }
  return selected;
}

function iou(boxes: Float32Array, i: number, j: number): number {
  const [ay0, ax0, ay1, ax1] = [
    Math.min(boxes[i * 4], boxes[i * 4 + 2]),
    Math.min(boxes[i * 4 + 1], boxes[i * 4 + 3]),
    Math.max(boxes[i * 4], boxes[i * 4 + 2]),
    Math.max(boxes[i * 4 + 1], boxes[i * 4 + 3]),
  ];
  const [by0, bx0, by1, bx1] = [
    Math.min(boxes[j * 4], boxes[j * 4 + 2]),
    Math.min(boxes[j * 4 + 1], boxes[j * 4 + 3]),
    Math.max(boxes[j * 4], boxes[j * 4 + 2]),
    Math.max(boxes[j * 4 + 1], boxes[j * 4 + 3]),
  ];
  const areaA = (ay1 - ay0) * (ax1 - ax0);
  const areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0)) * Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  return inter / (areaA + areaB - inter);
}
