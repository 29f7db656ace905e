import type { SidecarInput, SidecarSceneInput, SidecarSegmentInput, SidecarStageInput } from './sidecar-input.types';
import { SIDECAR_SCHEMA_ID, SIDECAR_SCHEMA_VERSION, SIDECAR_STAGE_NAMES } from './sidecar.types';
import type {
  Sidecar,
  SidecarEmbedding,
  SidecarFace,
  SidecarModelRef,
  SidecarModels,
  SidecarOcrLine,
  SidecarScene,
  SidecarSegment,
  SidecarStage,
  SidecarTag,
  SidecarTranscript,
  SidecarWord,
} from './sidecar.types';
import { byTime, roundToMs } from './time-order';

/**
 * The sidecar document for one video. Deterministic: scenes in index order, stages in pipeline
 * order, words and segments in time order, times rounded to milliseconds; only `generatedAt`
 * depends on the clock. Nothing is filled in: a missing model is null, an empty list stays empty.
 */
export function buildSidecar(input: SidecarInput, generatedAt: Date = new Date()): Sidecar {
  const { video } = input;
  const models = buildModels(input.models);
  return {
    $schema: SIDECAR_SCHEMA_ID,
    schemaVersion: SIDECAR_SCHEMA_VERSION,
    generatedAt: generatedAt.toISOString(),
    video: {
      id: video.id,
      title: video.title,
      description: video.description,
      filename: video.filename,
      contentType: video.contentType,
      durationS: video.durationS === null ? null : roundToMs(video.durationS),
      width: video.width,
      height: video.height,
      createdAt: video.createdAt.toISOString(),
      contentRating: video.contentRating ?? null,
    },
    models,
    stages: buildStages(input.stages),
    transcript: buildTranscript(input, models.asr),
    scenes: input.scenes.map((s) => buildScene(s, models.ocr)).sort((a, b) => a.index - b.index),
  };
}

function buildModels(models: SidecarInput['models']): SidecarModels {
  const ref = (m: SidecarModelRef | null | undefined) => (m ? modelRef(m) : null);
  return {
    asr: ref(models.asr),
    textEmbedding: ref(models.textEmbedding),
    visualEmbedding: ref(models.visualEmbedding),
    ocr: ref(models.ocr),
    faces: ref(models.faces),
    tags: ref(models.tags),
    objects: ref(models.objects),
    moderation: ref(models.moderation),
    language: ref(models.language),
  };
}

function buildTranscript(input: SidecarInput, model: SidecarModelRef | null): SidecarTranscript {
  const segments = (input.transcript?.segments ?? []).map(buildSegment).sort(byTime);
  const transcript: SidecarTranscript = {
    language: input.transcript?.language ?? null,
    source: input.transcript ? (input.transcript.source ?? 'asr') : null,
    model,
    segments,
  };
  return segments.length ? transcript : { ...transcript, note: emptyTranscriptNote(input.stages) };
}

/** Why a transcript is empty, from the speech stage's state and reason. */
function emptyTranscriptNote(stages: readonly SidecarStageInput[]): string {
  const asr = stages.find((s) => s.stage === 'asr_fast');
  if (!asr) return 'no transcript: speech recognition did not run';
  if (asr.state === 'skipped' || asr.state === 'failed' || asr.state === 'cancelled') {
    return `no transcript: speech recognition was ${asr.state}${asr.reason ? `; ${asr.reason}` : ''}`;
  }
  return asr.state === 'completed' ? 'no transcript: speech recognition found no speech' : `no transcript yet: speech recognition is ${asr.state}`;
}

function buildStages(stages: readonly SidecarStageInput[]): SidecarStage[] {
  const order = (s: SidecarStage) => SIDECAR_STAGE_NAMES.indexOf(s.stage);
  return stages
    .map((s): SidecarStage => (s.reason ? { stage: s.stage, state: s.state, reason: s.reason } : { stage: s.stage, state: s.state }))
    .sort((a, b) => order(a) - order(b));
}

function buildSegment(s: SidecarSegmentInput): SidecarSegment {
  return { startS: roundToMs(s.startS), endS: roundToMs(s.endS), text: s.text, words: buildWords(s.words) };
}

function buildWords(words: readonly SidecarWord[]): SidecarWord[] {
  return words.map((w) => ({ word: w.word, startS: roundToMs(w.startS), endS: roundToMs(w.endS), confidence: w.confidence })).sort(byTime);
}

function buildScene(s: SidecarSceneInput, ocrModel: SidecarModelRef | null): SidecarScene {
  return {
    index: s.index,
    id: s.id,
    startS: roundToMs(s.startS),
    endS: roundToMs(s.endS),
    transcript: s.transcript,
    transcriptSource: s.transcriptSource !== undefined ? s.transcriptSource : s.words.length ? 'asr' : null,
    words: buildWords(s.words),
    ocr: { text: s.ocr.text, lines: s.ocr.lines.map(buildOcrLine).sort((a, b) => a.frameS - b.frameS), model: ocrModel },
    tags: s.tags.map(buildTag).sort((a, b) => b.score - a.score),
    language: s.language ?? null,
    moderation: s.moderation
      ? {
          drawing: s.moderation.drawing,
          hentai: s.moderation.hentai,
          neutral: s.moderation.neutral,
          porn: s.moderation.porn,
          sexy: s.moderation.sexy,
          rating: s.moderation.rating,
        }
      : null,
    objects: (s.objects ?? [])
      .map((o) => ({ label: o.label, confidence: o.confidence, count: o.count, firstS: roundToMs(o.firstS) }))
      .sort((a, b) => b.confidence - a.confidence),
    faces: s.faces.map(buildFace).sort((a, b) => a.frameS - b.frameS),
    thumbnail: s.thumbnail,
    embeddings: { text: buildEmbedding(s.embeddings.text), visual: buildEmbedding(s.embeddings.visual) },
  };
}

function buildOcrLine(l: SidecarOcrLine): SidecarOcrLine {
  return { text: l.text, confidence: l.confidence, frameS: roundToMs(l.frameS) };
}

function buildTag(t: SidecarTag): SidecarTag {
  return { tag: t.tag, score: t.score, source: t.source, model: modelRef(t.model) };
}

function buildFace(f: SidecarFace): SidecarFace {
  return {
    id: f.id,
    personId: f.personId,
    personName: f.personName,
    confidence: f.confidence,
    frameS: roundToMs(f.frameS),
    box: { x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height },
    model: modelRef(f.model),
  };
}

function buildEmbedding(e: SidecarEmbedding | null): SidecarEmbedding | null {
  return e ? { model: modelRef(e.model), dims: e.dims } : null;
}

function modelRef(m: SidecarModelRef): SidecarModelRef {
  return { name: m.name, version: m.version };
}
