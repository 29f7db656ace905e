import type { ModelRef, SceneTag } from '@heimdex/db';

/** Mood vocabulary for CLIP zero-shot: tag → the prompt its text embedding is made from. */
export const MOOD_PROMPTS: Readonly<Record<string, string>> = {
  happy: 'a photo of a happy, joyful moment',
  sad: 'a photo of a sad, melancholic moment',
  tense: 'a photo of a tense, suspenseful moment',
  calm: 'a photo of a calm, peaceful scene',
  energetic: 'a photo of an energetic, exciting scene',
  romantic: 'a photo of a romantic moment',
  scary: 'a photo of a scary, frightening scene',
  funny: 'a photo of a funny, humorous moment',
  dark: 'a photo of a dark, gloomy scene',
  bright: 'a photo of a bright, cheerful scene',
};

/** CLIP's logit scale: similarities ×100 before the softmax, as CLIP was trained. */
const CLIP_LOGIT_SCALE = 100;
const CLIP_MIN_PROBABILITY = 0.3;
const EXPRESSION_MIN_PROBABILITY = 0.5;
export const LOUD_LUFS = -20;
export const QUIET_LUFS = -45;

/** Zero-shot mood from a scene's CLIP vector and the prompts' CLIP text vectors (all unit length). */
export function clipMoodTags(scene: ArrayLike<number>, prompts: { tag: string; vector: Float32Array }[], model: ModelRef): SceneTag[] {
  const logits = prompts.map((p) => {
    let dot = 0;
    for (let i = 0; i < p.vector.length; i++) dot += p.vector[i] * scene[i];
    return dot * CLIP_LOGIT_SCALE;
  });
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return prompts.map((p, i) => ({ tag: p.tag, score: round(exp[i] / sum), source: 'clip' as const, model })).filter((t) => t.score >= CLIP_MIN_PROBABILITY);
}

/** The dominant non-neutral expression over a scene's faces, when faces show one clearly. */
export function expressionTags(expressions: readonly Record<string, number>[], model: ModelRef): SceneTag[] {
  if (!expressions.length) return [];
  const mean = new Map<string, number>();
  for (const e of expressions) for (const [k, v] of Object.entries(e)) mean.set(k, (mean.get(k) ?? 0) + v / expressions.length);
  mean.delete('neutral');
  const [top] = [...mean].sort((a, b) => b[1] - a[1]);
  return top && top[1] >= EXPRESSION_MIN_PROBABILITY ? [{ tag: top[0], score: round(top[1]), source: 'face_expression', model }] : [];
}

/** `loud` or `quiet` from the scene's mean momentary loudness (EBU R128). */
export function loudnessTags(lufs: number | null, model: ModelRef): SceneTag[] {
  if (lufs === null) return [];
  if (lufs >= LOUD_LUFS) return [{ tag: 'loud', score: round(Math.min(1, 0.5 + (lufs - LOUD_LUFS) / 20)), source: 'audio_loudness', model }];
  if (lufs <= QUIET_LUFS) return [{ tag: 'quiet', score: round(Math.min(1, 0.5 + (QUIET_LUFS - lufs) / 40)), source: 'audio_loudness', model }];
  return [];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
