import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { EMBEDDING_DIMENSIONS, Face, FaceSource, JobStage, Person, Scene, Video } from '@heimdex/db';
import { faceModelId, FaceMatcher, FaceTrack, FaceTracker } from '@heimdex/faces';
import { type Box, callTimesNote, ModelCallTimes } from '@heimdex/ml';
import { enqueueInTransaction, JobName } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { ModelEngines } from '../models/model-engines';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { SceneFrames } from './scene-frames';

const FACE_THUMBNAIL = 160;
/** Faces smaller than this (shorter box side, frame pixels) give descriptors too poor to match or cluster. */
const MIN_FACE_PX = 24;
/**
 * A face continuing a track's box from the previous analysis frame joins it at this similarity
 * (a head turning, talking, changing light): on real talking heads (GRID) one person's frames
 * stay above 0.95 while different people reach 0.92, so only the box continuity makes 0.85 safe.
 */
const FOLLOW_THRESHOLD = 0.85;

interface PendingFace {
  id: string;
  sceneId: string;
  track: FaceTrack;
  thumbnailKey: string;
}

/**
 * faces_enroll_match: faces found on every kept frame of a scene and grouped into one track per
 * person (FaceTracker: descriptors only for a track's first face and clearly better ones),
 * matched against the owner's enrolled people by the shared FaceMatcher (precision first:
 * threshold and margin), in the transaction that stores them. Unmatched tracks are kept, unnamed,
 * and clustered by a job queued when the stage completes. Re-running replaces the video's
 * detected faces.
 */
@Injectable()
export class FacesEnrollMatchStage implements PipelineStage {
  readonly stage = JobStage.FacesEnrollMatch;

  constructor(
    private readonly models: ModelEngines,
    private readonly frames: SceneFrames,
    private readonly matcher: FaceMatcher,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const faces = this.models.faces;
    if (!faces.available) return { status: 'skipped', reason: faces.reason };
    const { engine } = faces;
    if (engine.dims !== EMBEDDING_DIMENSIONS.face) {
      throw new PermanentStageError(`face model ${engine.model.name} makes ${engine.dims}-d descriptors; faces store ${EMBEDDING_DIMENSIONS.face}-d`);
    }
    const modelId = faceModelId(engine.model);
    const threshold = this.config.ml.faceMatchThreshold;

    await this.storage.deletePrefix(videoKeys.facesPrefix(video.userId, video.id));
    const pending: PendingFace[] = [];
    let [framesRead, tiny, found, described, reused] = [0, 0, 0, 0, 0];
    const times = { detected: new ModelCallTimes(), described: new ModelCallTimes() };
    for (const scene of await this.frames.scenes(video.id)) {
      const frames = await this.frames.load(scene);
      const tracker = new FaceTracker(engine, { threshold, followThreshold: Math.min(threshold, FOLLOW_THRESHOLD) });
      const images = new Map<number, Buffer>();
      for (const frame of frames) {
        images.set(frame.timeS, frame.image);
        framesRead += 1;
        const faces = await times.detected.time(() => engine.findFaces(frame.image));
        const kept = faces.filter((face) => Math.min(face.box.width, face.box.height) >= MIN_FACE_PX);
        tiny += faces.length - kept.length;
        const before = tracker.counts.described;
        await times.described.time(
          () => tracker.addFrame(frame.timeS, frame.image, kept),
          () => tracker.counts.described - before,
        );
      }
      found += tracker.counts.faces;
      described += tracker.counts.described;
      reused += tracker.counts.reused;
      for (const track of tracker.tracks()) {
        const id = randomUUID();
        const thumbnailKey = videoKeys.face(video.userId, video.id, id);
        await this.storage.put(thumbnailKey, await crop(images.get(track.best.frameS)!, track.best.face.box), { contentType: 'image/webp' });
        pending.push({ id, sceneId: scene.id, track, thumbnailKey });
      }
    }

    const { matched, people } = await write(async (tx) => {
      // First, as it takes the owner's faces lock: always before any faces row, so writers never wait on each other in a cycle.
      const { matches, people } = await this.matcher.matchNew(
        tx,
        video.userId,
        modelId,
        pending.map((p) => ({ sceneId: p.sceneId, descriptor: p.track.descriptor })),
      );
      await tx.nativeDelete(Face, { video: video.id, source: FaceSource.Detection });
      const sceneIds = new Set((await tx.find(Scene, { video: video.id }, { fields: ['id'] })).map((s) => s.id));
      for (const [i, p] of pending.entries()) {
        if (!sceneIds.has(p.sceneId)) throw new Error('scenes changed while faces were found; retrying');
        const match = matches[i];
        const face = new Face();
        Object.assign(face, {
          id: p.id,
          userId: video.userId,
          source: FaceSource.Detection,
          video: tx.getReference(Video, video.id),
          scene: tx.getReference(Scene, p.sceneId),
          person: match ? tx.getReference(Person, match.personId) : null,
          confidence: match?.similarity ?? null,
          embedding: Array.from(p.track.descriptor),
          embeddingModel: modelId,
          frameS: p.track.best.frameS,
          box: p.track.best.face.box,
          expressions: p.track.best.expressions,
          frameCount: p.track.frames,
          thumbnailKey: p.thumbnailKey,
        });
        tx.persist(face);
      }
      return { matched: matches.filter(Boolean).length, people };
    });
    return {
      status: 'completed',
      model: engine.model,
      note:
        `${pending.length} face track(s) from ${framesRead} analysis frame(s) (${tiny} face(s) under ${MIN_FACE_PX} px left out); ` +
        `${found} face(s) detected, descriptors computed for ${described}, reused for ${reused}; ` +
        `${callTimesNote([
          ['SSD + landmarks', times.detected.perUnit('frame')],
          ['descriptor + expressions', times.described.perUnit('face')],
        ])}; ` +
        `${matched} matched to ${people} enrolled ${people === 1 ? 'person' : 'people'}`,
      // The unnamed tracks join the owner's clusters once the stage is done.
      finalize: async (tx) => {
        enqueueInTransaction(tx, JobName.FacesCluster, { userId: video.userId, videoId: video.id, run: video.pipelineRun });
      },
    };
  }
}

async function crop(image: Buffer, box: Box): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const [w, h] = [meta.width ?? 0, meta.height ?? 0];
  const pad = Math.round(Math.max(box.width, box.height) * 0.25);
  const left = Math.max(0, Math.floor(box.x - pad));
  const top = Math.max(0, Math.floor(box.y - pad));
  const width = Math.max(1, Math.min(w - left, Math.ceil(box.width + 2 * pad)));
  const height = Math.max(1, Math.min(h - top, Math.ceil(box.height + 2 * pad)));
  return sharp(image).extract({ left, top, width, height }).resize(FACE_THUMBNAIL, FACE_THUMBNAIL, { fit: 'cover' }).webp({ quality: 80 }).toBuffer();
}
