import type { SceneWord } from '@heimdex/db';

export interface AlignSegment {
  startS: number;
  endS: number;
  text: string;
  words: SceneWord[];
}

export interface SceneSpanRef {
  startS: number;
  endS: number;
}

export interface AlignedScene {
  transcript: string;
  words: SceneWord[];
}

/**
 * Assigns transcript words to scenes by the middle of each word; a segment without word
 * timings goes whole to the scene holding its middle. Times past the last scene go to it.
 */
export function alignToScenes(scenes: readonly SceneSpanRef[], segments: readonly AlignSegment[]): AlignedScene[] {
  const out = scenes.map(() => ({ parts: [] as { at: number; text: string }[], words: [] as SceneWord[] }));
  if (!scenes.length) return [];
  const sceneAt = (t: number) => {
    const i = scenes.findIndex((s) => t >= s.startS && t < s.endS);
    return i >= 0 ? i : t < scenes[0].startS ? 0 : scenes.length - 1;
  };
  for (const seg of segments) {
    if (seg.words.length) {
      for (const w of seg.words) {
        const word = w.word.trim();
        if (!word) continue;
        const i = sceneAt((w.startS + w.endS) / 2);
        out[i].words.push({ ...w, word });
        out[i].parts.push({ at: w.startS, text: word });
      }
    } else if (seg.text.trim()) {
      out[sceneAt((seg.startS + seg.endS) / 2)].parts.push({ at: seg.startS, text: seg.text.trim() });
    }
  }
  return out.map(({ parts, words }) => ({
    transcript: parts
      .sort((a, b) => a.at - b.at)
      .map((p) => p.text)
      .join(' ')
      .replace(/\s+([,.!?;:])/g, '$1'),
    words: words.sort((a, b) => a.startS - b.startS),
  }));
}
