import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { EMBEDDING_DIMENSIONS, Face, FaceSource, JobStage, JobState, ModelRef, PipelineJob, Scene } from '@heimdex/db';
import { buildSidecar, SidecarInput, toSrt, toWebVtt, validateSidecar } from '@heimdex/sidecar';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { StageArtifacts } from '../pipeline/stage-artifacts';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import type { TranscriptArtifact } from './transcript-artifact';

function parseModelId(id: string | null): ModelRef | null {
  if (!id) return null;
  const at = id.lastIndexOf('@');
  return at > 0 ? { name: id.slice(0, at), version: id.slice(at + 1) } : { name: id, version: 'unknown' };
}

/** sidecar_build: the versioned JSON sidecar (checked against its published schema) plus WebVTT and SRT, to storage. */
@Injectable()
export class SidecarBuildStage implements PipelineStage {
  readonly stage = JobStage.SidecarBuild;

  constructor(
    private readonly orm: MikroORM,
    private readonly artifacts: StageArtifacts,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async run({ video }: StageContext): Promise<StageResult> {
    const em = this.orm.em.fork();
    const rows = await em.find(PipelineJob, { video: video.id });
    const modelOf = (stage: JobStage) => rows.find((r) => r.stage === stage && r.state === JobState.Completed)?.model ?? null;
    const scenes = await em.find(Scene, { video: video.id }, { orderBy: { index: 'asc' } });
    const faces = await em.find(Face, { video: video.id, source: FaceSource.Detection }, { populate: ['person'] });
    const transcript = modelOf(JobStage.AsrFast) ? await this.artifacts.getJson<TranscriptArtifact>(videoKeys.transcript(video.userId, video.id)) : null;
    const faceModel = modelOf(JobStage.FacesEnrollMatch);

    const input: SidecarInput = {
      video: { ...video, createdAt: video.createdAt },
      models: {
        asr: modelOf(JobStage.AsrFast),
        textEmbedding: modelOf(JobStage.EmbedText),
        visualEmbedding: modelOf(JobStage.VisionEmbedFrames),
        ocr: modelOf(JobStage.VisionSampleFrames),
        faces: faceModel,
        tags: modelOf(JobStage.VisionAffectTags),
        objects: modelOf(JobStage.VisionObjects),
        moderation: modelOf(JobStage.VisionModeration),
        language: modelOf(JobStage.LanguageDetect),
      },
      stages: rows.map((r) => ({ stage: r.stage, state: r.state, reason: r.error ?? r.note })),
      transcript: transcript ? { language: transcript.language, source: transcript.source ?? 'asr', segments: transcript.segments } : null,
      scenes: scenes.map((s) => ({
        index: s.index,
        id: s.id,
        startS: s.startS,
        endS: s.endS,
        transcript: s.transcript,
        transcriptSource: s.transcriptSource,
        words: s.words,
        ocr: { text: s.ocrText, lines: s.ocrLines },
        tags: s.tagScores,
        objects: s.objects,
        language: s.language,
        moderation: s.moderation ? { ...s.moderation, rating: s.contentRating } : null,
        faces: faceModel
          ? faces
              .filter((f) => f.scene?.id === s.id && f.frameS !== null && f.box !== null)
              .map((f) => ({
                id: f.id,
                personId: f.person?.id ?? null,
                personName: f.person?.name ?? null,
                confidence: f.confidence,
                frameS: f.frameS!,
                box: f.box!,
                model: faceModel,
              }))
          : [],
        thumbnail: s.thumbnailKey,
        embeddings: {
          text: s.textEmbeddingModel ? { model: parseModelId(s.textEmbeddingModel)!, dims: EMBEDDING_DIMENSIONS.text } : null,
          visual: s.visualEmbeddingModel ? { model: parseModelId(s.visualEmbeddingModel)!, dims: EMBEDDING_DIMENSIONS.visual } : null,
        },
      })),
    };
    const sidecar = buildSidecar(input);
    const valid = validateSidecar(sidecar);
    // A sidecar that breaks its own schema is our bug, not the user's input: fail loudly.
    if (!valid.ok) throw new Error(`the sidecar does not match its schema: ${valid.errors.slice(0, 3).join('; ')}`);

    const subtitles = sidecar.transcript;
    await this.storage.put(videoKeys.sidecar(video.userId, video.id, 'json'), Buffer.from(JSON.stringify(sidecar, null, 1)), {
      contentType: 'application/json',
    });
    await this.storage.put(videoKeys.sidecar(video.userId, video.id, 'vtt'), Buffer.from(toWebVtt(subtitles)), { contentType: 'text/vtt' });
    await this.storage.put(videoKeys.sidecar(video.userId, video.id, 'srt'), Buffer.from(toSrt(subtitles)), { contentType: 'application/x-subrip' });
    return {
      status: 'completed',
      model: { name: 'heimdex-sidecar', version: sidecar.schemaVersion },
      note: `${scenes.length} scene(s), schema v${sidecar.schemaVersion}`,
    };
  }
}
