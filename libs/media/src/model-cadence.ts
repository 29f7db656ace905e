import sharp from 'sharp';
import { FrameSignature, frameSignature, SIG_H, SIG_W, signatureDiff } from './frame-signature';

export interface ModelCadenceOptions {
  /** The model runs again once the picture differs this much (signatureDiff, 0..1) from the last frame it ran on... */
  changeAbove: number;
  /** ...or once this many seconds have passed since then. */
  everyS: number;
}

/**
 * Measured with `npm run eval:frame-savings` (Tears of Steel, Big Buck Bunny, Popeye and two GRID
 * talking heads, 14 shots): COCO objects ran on 71 of 117 analysis frames and the shots kept 21 of
 * their 24 labels; the 3 lost were Popeye's cartoon "teddy bear" (0.27, 0.28) and "cake" (0.35),
 * each just over the 0.25 threshold.
 */
export const SCENE_LABEL_CADENCE: ModelCadenceOptions = { changeAbove: 0.08, everyS: 2 };

/**
 * Which of a scene's analysis frames a model whose results describe the scene as a whole runs on
 * (COCO objects): the first, then each whose picture changed enough since the last one it ran on
 * or that comes long enough after it. On the frames in between the picture barely moved, so the
 * model would see what it already saw. One per scene, fed the frames in time order.
 */
export class ModelCadence {
  private last: { timeS: number; signature: FrameSignature } | null = null;

  constructor(private readonly options: ModelCadenceOptions = SCENE_LABEL_CADENCE) {}

  due(timeS: number, signature: FrameSignature): boolean {
    const last = this.last;
    if (last && timeS - last.timeS < this.options.everyS - 1e-6 && signatureDiff(last.signature, signature) < this.options.changeAbove) return false;
    this.last = { timeS, signature };
    return true;
  }
}

/** An encoded picture's signature, from a small decode (the block means barely differ from the full frame's). */
export async function pictureSignature(image: Buffer): Promise<FrameSignature> {
  const [width, height] = [SIG_W * 4, SIG_H * 4];
  const data = await sharp(image).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  return frameSignature({ data, width, height });
}
