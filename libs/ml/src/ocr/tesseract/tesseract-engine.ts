import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { ModelInfo, OcrEngine, OcrLine } from '../../engine-types';
import { decodeRgb } from '../../faces/decode-image';
import { errorMessage } from '../../faces/error-message';
import { parseTesseractTsv } from './tesseract-tsv';

const run = promisify(execFile);

export interface TesseractOptions {
  /** Language packs joined with + (eng+deu+jpn). */
  langs: string;
  /** The binary; default `tesseract` on PATH. */
  binary?: string;
  /** Smaller images are enlarged (at most 4x) until their longer side is this: tesseract wants text some 20 px high. */
  minSide?: number;
}

/** Why tesseract cannot run with these languages, or null when it can. */
export async function tesseractProblem(options: TesseractOptions): Promise<string | null> {
  const binary = options.binary ?? 'tesseract';
  let listed: string;
  try {
    listed = (await run(binary, ['--list-langs'], { timeout: 30_000 })).stdout;
  } catch (err) {
    // Duck-typed: under Jest, Node's errors are not instances of the test realm's Error.
    const missing = typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
    return missing ? `${binary} not found (install Debian's tesseract-ocr)` : `${binary} --list-langs failed: ${errorMessage(err)}`;
  }
  const have = new Set(
    listed
      .split(/\r?\n/u)
      .slice(1)
      .map((l) => l.trim()),
  );
  const absent = options.langs.split('+').filter((l) => !have.has(l));
  if (absent.length)
    return `tesseract has no language pack for ${absent.join(', ')} (install ${absent.map((l) => `tesseract-ocr-${l.toLowerCase().replace(/_/gu, '-')}`).join(' ')})`;
  return null;
}

/**
 * On-screen text with Tesseract (the `tesseract` command, Debian's tesseract-ocr and its
 * language packs), for scripts PP-OCR does not read. One call per frame reads it whole: no
 * stepwise detection. The image goes in on stdin, lines come back from its TSV output.
 */
export class TesseractOcrEngine implements OcrEngine {
  private constructor(
    readonly model: ModelInfo,
    private readonly binary: string,
    private readonly langs: string,
    private readonly minSide: number,
  ) {}

  static async create(options: TesseractOptions): Promise<TesseractOcrEngine> {
    const problem = await tesseractProblem(options);
    if (problem) throw new Error(problem);
    const binary = options.binary ?? 'tesseract';
    const { stdout, stderr } = await run(binary, ['--version'], { timeout: 30_000 });
    const version = /tesseract\s+v?(\S+)/iu.exec(`${stdout}\n${stderr}`)?.[1] ?? 'unknown';
    return new TesseractOcrEngine({ name: `tesseract-${options.langs}`, version }, binary, options.langs, options.minSide ?? 640);
  }

  async read(image: Buffer): Promise<OcrLine[]> {
    const rgb = await decodeRgb(image);
    const longer = Math.max(rgb.width, rgb.height);
    const scale = longer < this.minSide ? Math.min(4, this.minSide / longer) : 1;
    const png = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .resize(Math.round(rgb.width * scale), Math.round(rgb.height * scale), { kernel: 'lanczos3' })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const tsv = await tesseractTsv(this.binary, this.langs, png);
    return parseTesseractTsv(tsv).map((l) => ({
      ...l,
      box: {
        x: Math.floor(l.box.x / scale),
        y: Math.floor(l.box.y / scale),
        width: Math.min(rgb.width, Math.ceil(l.box.width / scale)),
        height: Math.min(rgb.height, Math.ceil(l.box.height / scale)),
      },
    }));
  }
}

/** Sparse text (page segmentation 11): video frames are not pages; text sits anywhere. */
function tesseractTsv(binary: string, langs: string, png: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, ['stdin', 'stdout', '-l', langs, '--psm', '11', 'tsv'], { timeout: 120_000, maxBuffer: 16 * 1024 ** 2 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(png);
  });
}
