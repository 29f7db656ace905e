import { join } from 'node:path';
import sharp from 'sharp';
import { decodePasses } from './decode-passes';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { FrameSampler } from './frame-sampler';
import { FrameSignature, frameSignature, detailGrid, isOverlayChange, signatureDiff } from './frame-signature';
import { decodeFrames } from './frame-stream';
import { MediaCancelledError, MediaLimitError, type MediaRunLimits } from './media-process';
import { CutKind, DEFAULT_SHOT_DETECTOR, detectShots, ShotDetectorOptions } from './shot-detector';
import { roundMs } from './round-ms';

/** Kept frames whose JPEG encoding may run while decoding continues. */
const ENCODES_IN_FLIGHT = 4;

export interface ScenePassOptions {
  /** Steady rate (frames per second) at which frames are kept for the visual stages. */
  framesPerSecond: number;
  /** Longest side of the decoded and kept frames. */
  maxFrameSide: number;
  /** Frames per second decoded and scored for shot changes (default 6). */
  decodeFps?: number;
  /** A hard cut's content score is at least this, 0..1 (default: the detector's). */
  cutThreshold?: number;
  /** Regional change (0..1) below which a steady-rate frame repeats the last kept one (default 0.04). */
  duplicateBelow?: number;
  /** Keep a frame at least this often even in a still shot (default 10 s). */
  forceEveryS?: number;
  /** Decode only the frames others are predicted from (default true; see FrameStreamOptions). */
  skipNonReference?: boolean;
  shots?: Partial<ShotDetectorOptions>;
}

/** Throws the error an encoding settled to. */
async function settled(encoded: Promise<unknown> | undefined): Promise<void> {
  const err = await encoded;
  if (err) throw err;
}

export interface ScenePassResult {
  /** Shot boundaries (s): the first decoded frame of each new shot. */
  cuts: number[];
  cutDetails: { timeS: number; kind: CutKind; score: number }[];
  /** Kept frames (JPEG), in time order. */
  frames: { timeS: number; path: string }[];
  /** Frames decoded and scored. */
  decoded: number;
  /** Steady-rate frames not kept because they repeated the last kept frame. */
  duplicates: number;
  /** Decoded length: frames / decodeFps. */
  durationS: number;
}

/**
 * The one decode of a video's picture. Every decoded frame gets a colour signature (shot
 * detection runs on Heimdex's own scores, the same with any ffmpeg build); the frames the
 * visual stages read are chosen while decoding (steady rate, after likely cuts, near-duplicates
 * skipped) and written as JPEG into outDir.
 */
export async function runScenePass(
  bins: FfmpegBinaries,
  input: string,
  outDir: string,
  opts: ScenePassOptions,
  limits?: MediaRunLimits,
): Promise<ScenePassResult> {
  const decodeFps = opts.decodeFps ?? 6;
  const shotOptions = { ...opts.shots, ...(opts.cutThreshold !== undefined ? { minCutScore: opts.cutThreshold } : {}) };
  const cutScore = shotOptions.minCutScore ?? DEFAULT_SHOT_DETECTOR.minCutScore;
  const sampler = new FrameSampler({
    sampleFps: Math.min(opts.framesPerSecond, decodeFps),
    duplicateBelow: opts.duplicateBelow ?? 0.04,
    forceEveryS: opts.forceEveryS ?? 10,
    cutScore,
    cutRatio: shotOptions.adaptiveRatio ?? DEFAULT_SHOT_DETECTOR.adaptiveRatio,
  });
  decodePasses.record();
  const stream = decodeFrames(bins, input, { fps: decodeFps, maxSide: opts.maxFrameSide, skipNonReference: opts.skipNonReference ?? true, limits });
  const signatures: FrameSignature[] = [];
  const frames: ScenePassResult['frames'] = [];
  let duplicates = 0;
  // Each settles to null or its error (never rejects: one waiting unawaited would be an unhandled rejection).
  const encoding: Promise<unknown>[] = [];
  try {
    for await (const frame of stream.frames) {
      const index = signatures.length;
      const timeS = roundMs(index / decodeFps);
      const signature = frameSignature(frame);
      const step = index ? signatureDiff(signatures[index - 1], signature) : 0;
      signatures.push(signature);
      const decision = sampler.decide(timeS, step, () => detailGrid(frame));
      if (decision === 'duplicate') duplicates += 1;
      if (decision !== 'keep') continue;
      const path = join(outDir, `${String(index).padStart(6, '0')}.jpg`);
      // Encoded on libvips's threads while decoding goes on; a few at most wait, each holding its frame.
      if (encoding.length >= ENCODES_IN_FLIGHT) await settled(encoding.shift());
      encoding.push(
        sharp(frame.toBuffer(), { raw: { width: frame.width, height: frame.height, channels: 3 } })
          .jpeg({ quality: 88 })
          .toFile(path)
          .then(
            () => null,
            (err: unknown) => err ?? new Error('JPEG encoding failed'),
          ),
      );
      frames.push({ timeS, path });
    }
    for (const encoded of encoding.splice(0)) await settled(encoded);
    await stream.done;
  } catch (err) {
    await Promise.all(encoding);
    // A limit or a cancellation keeps its class: the stage runner fails the one and drops the other without retrying.
    if (err instanceof MediaCancelledError) throw err;
    if (err instanceof MediaLimitError) throw new MediaLimitError(err.limit, `scene detection failed: ${err.message}`);
    throw new Error(`scene detection failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const detected = detectShots(
    {
      count: signatures.length,
      diff: (i, j) => signatureDiff(signatures[i], signatures[j]),
      brightness: (i) => signatures[i].brightness,
      overlay: (i, j) => isOverlayChange(signatures[i], signatures[j]),
    },
    shotOptions,
  );
  const cutDetails = detected.map((c) => ({ timeS: roundMs(c.frame / decodeFps), kind: c.kind, score: roundMs(c.score) }));
  return {
    cuts: cutDetails.map((c) => c.timeS),
    cutDetails,
    frames,
    decoded: signatures.length,
    duplicates,
    durationS: roundMs(signatures.length / decodeFps),
  };
}
