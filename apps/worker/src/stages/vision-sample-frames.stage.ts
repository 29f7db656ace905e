import { Inject, Injectable } from '@nestjs/common';
import { JobStage, Scene, SceneOcrLine } from '@heimdex/db';
import { decodeRgb, FrameOcrCost, OcrEngine, spanOcrLines, StepwiseFrameReader, stepwiseOcr, summariseOcrCosts } from '@heimdex/ml';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { ModelEngines } from '../models/model-engines';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { SceneFrames, summaryFrames } from './scene-frames';

const THUMBNAIL_WIDTH = 480;
const SCENES_AT_ONCE = 2;

/**
 * vision_sample_frames: from the frames scene_detect kept, each scene's thumbnail (its middle
 * frame, WebP) and its on-screen text, read on every analysis frame and merged across frames:
 * one line per text, with the span of frames that showed it. Text boxes are detected on every
 * frame, but with an engine that detects and recognises separately only boxes that are new or
 * changed since the scene's previous frame are recognised; the rest keep their text.
 */
@Injectable()
export class VisionSampleFramesStage implements PipelineStage {
  readonly stage = JobStage.VisionSampleFrames;

  constructor(
    private readonly frames: SceneFrames,
    private readonly models: ModelEngines,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const ocr = this.models.ocr;
    const scenes = await this.frames.scenes(video.id);
    await this.storage.deletePrefix(videoKeys.thumbnailsPrefix(video.userId, video.id));
    const results = new Map<string, { thumbnailKey: string | null; lines: SceneOcrLine[] }>();
    let framesRead = 0;
    const costs: FrameOcrCost[] = [];
    // Scenes are read independently (each its own stepwise reader), two at a time: the engine runs two model calls at once.
    // Most frames first, so the stage does not end on one long scene while the other engine thread idles.
    const longestFirst = [...scenes].sort((a, b) => b.frames.length - a.frames.length);
    const limit = pLimit(SCENES_AT_ONCE);
    await Promise.all(
      longestFirst.map((scene) =>
        limit(async () => {
          const frames = await this.frames.load(scene);
          let thumbnailKey: string | null = null;
          if (frames.length) {
            thumbnailKey = videoKeys.thumbnail(video.userId, video.id, scene.index);
            const webp = await sharp(summaryFrames(frames)[0].image)
              .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
              .webp({ quality: 75 })
              .toBuffer();
            await this.storage.put(thumbnailKey, webp, { contentType: 'image/webp' });
          }
          const raw: SceneOcrLine[] = [];
          if (ocr.available) {
            const read = sceneReader(ocr.engine, costs);
            for (const frame of frames) {
              for (const line of await read(frame.image)) raw.push({ text: line.text, confidence: line.confidence, frameS: frame.timeS });
              framesRead += 1;
            }
          }
          const lines = spanOcrLines(raw).map(({ text, confidence, startS, endS }) => ({ text, confidence, frameS: startS!, startS, endS }));
          results.set(scene.id, { thumbnailKey, lines });
        }),
      ),
    );

    await write(async (tx) => {
      const current = await tx.find(Scene, { video: video.id });
      for (const scene of current) {
        const r = results.get(scene.id);
        if (!r) throw new Error(`scene ${scene.index} changed while frames were read; retrying`);
        scene.thumbnailKey = r.thumbnailKey;
        scene.ocrLines = r.lines;
        scene.ocrText = r.lines.map((l) => l.text).join('\n');
      }
    });
    const lines = [...results.values()].reduce((n, r) => n + r.lines.length, 0);
    return ocr.available
      ? {
          status: 'completed',
          model: ocr.engine.model,
          note: `${scenes.length} thumbnail(s); OCR read ${framesRead} frame(s), ${lines} distinct line(s)${costs.length ? `; ${summariseOcrCosts(costs)}` : ''}`,
        }
      : { status: 'completed', model: null, note: `${scenes.length} thumbnail(s); OCR off: ${ocr.reason}` };
  }
}

/** One scene's frame reader: stepwise (new boxes only) when the engine can, recording each frame's cost; otherwise whole frames. */
function sceneReader(engine: OcrEngine, costs: FrameOcrCost[]): (image: Buffer) => Promise<{ text: string; confidence: number }[]> {
  const stepwise = stepwiseOcr(engine);
  if (!stepwise) return (image) => engine.read(image);
  const reader = new StepwiseFrameReader(stepwise);
  return async (image) => {
    const { lines, cost } = await reader.read(await decodeRgb(image));
    costs.push(cost);
    return lines;
  };
}
