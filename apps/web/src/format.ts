import type { Schemas } from './api/client';
/** 75.4 → "1:15"; 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i ? 1 : 0)} ${units[i]}`;
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Every stage of the API's JobStage enum: a new stage without a label breaks the console's build. */
export const STAGE_LABELS: Record<Schemas['JobStage'], string> = {
  upload_validate: 'Check the upload',
  audio_extract: 'Extract audio',
  asr_fast: 'Speech to text',
  scene_detect: 'Find scenes',
  align_merge: 'Align words to scenes',
  embed_text: 'Text vectors',
  vision_sample_frames: 'Thumbnails and on-screen text',
  vision_embed_frames: 'Picture vectors',
  vision_affect_tags: 'Mood tags',
  faces_enroll_match: 'Faces',
  vision_objects: 'Objects',
  vision_moderation: 'Content rating',
  language_detect: 'Language',
  sidecar_build: 'Sidecar and captions',
  commit: 'Publish',
};

/** Search signals in plain words. */
export const SIGNAL_LABELS: Record<string, string> = {
  transcript: 'spoken words',
  ocr: 'on-screen text',
  visual: 'picture',
  person: 'person',
  tag: 'tag',
  text: 'meaning of the text',
  title: 'title or description',
  object: 'object',
};

/** The API's highlight is HTML-escaped text with <mark>; rendered as text nodes, never as HTML. */
export function highlightParts(highlight: string): { text: string; mark: boolean }[] {
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", amp: '&' })[e] ?? '');
  return highlight
    .split(/(<mark>.*?<\/mark>)/g)
    .filter(Boolean)
    .map((part) => (part.startsWith('<mark>') ? { text: unescape(part.slice(6, -7)), mark: true } : { text: unescape(part), mark: false }));
}
