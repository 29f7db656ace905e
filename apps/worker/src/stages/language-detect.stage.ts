import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { JobStage, JobState, PipelineJob, Scene, Video } from '@heimdex/db';
import { ModelEngines } from '../models/model-engines';
import type { PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';

/**
 * language_detect: the language (ISO 639-1) of each scene's transcript and on-screen text, and of
 * the whole video (its transcript, else the language with the most text among its scenes). The video's language is what the
 * full-text trigger stems with, so setting it re-derives every scene's document. A language a
 * Whisper model named itself is kept: it heard the audio, not a transcript of it.
 */
@Injectable()
export class LanguageDetectStage implements PipelineStage {
  readonly stage = JobStage.LanguageDetect;

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
  ) {}

  async run({ video, write }: StageContext): Promise<StageResult> {
    const lid = await this.models.language();
    if (!lid.available) return { status: 'skipped', reason: lid.reason };
    const { engine } = lid;
    const em = this.orm.em.fork();
    const scenes = await em.find(Scene, { video: video.id }, { orderBy: { index: 'asc' } });
    const asr = await em.findOne(PipelineJob, { video: video.id, stage: JobStage.AsrFast });
    const perScene = new Map(scenes.map((s) => [s.id, engine.identify(`${s.transcript}\n${s.ocrText}`).language]));
    const spoken = engine.identify(scenes.map((s) => s.transcript).join(' '));
    const whisperSaid = asr?.state === JobState.Completed && asr.model?.name.startsWith('whisper') && video.language ? video.language : null;
    const shown = mostText(scenes.map((s) => ({ language: perScene.get(s.id) ?? null, letters: letters(s.transcript) + letters(s.ocrText) })));
    const language = whisperSaid ?? spoken.language ?? shown ?? video.language;

    await write(async (tx) => {
      for (const [id, lang] of perScene) await tx.nativeUpdate(Scene, { id, video: video.id }, { language: lang });
      if (language !== video.language) await tx.nativeUpdate(Video, { id: video.id }, { language });
    });
    const found = [...perScene.values()].filter((l) => l !== null).length;
    const source = whisperSaid
      ? 'as Whisper heard it'
      : spoken.language
        ? `transcript, p=${spoken.confidence}`
        : shown
          ? 'the language of most scene text'
          : 'nothing to detect from';
    return {
      status: 'completed',
      model: engine.model,
      note: `video ${language ?? 'unknown'} (${source}); ${found} of ${scenes.length} scene(s) with a language`,
    };
  }
}

const letters = (text: string) => (text.match(/\p{L}/gu) ?? []).length;

/** The language with the most text among the scenes that have one (on-screen titles of mixed languages: the main one). */
function mostText(scenes: { language: string | null; letters: number }[]): string | null {
  const total = new Map<string, number>();
  for (const s of scenes) if (s.language) total.set(s.language, (total.get(s.language) ?? 0) + s.letters);
  return [...total].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
