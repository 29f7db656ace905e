import { clipMoodTags, expressionTags, loudnessTags } from './affect-tags';

const model = { name: 'm', version: '1' };
const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
};

describe('affect tags', () => {
  it('CLIP: the prompt nearest the scene wins, weak ones are dropped', () => {
    const tags = clipMoodTags(
      unit(1, 0.1, 0),
      [
        { tag: 'happy', vector: unit(1, 0, 0) },
        { tag: 'sad', vector: unit(0, 1, 0) },
        { tag: 'calm', vector: unit(0, 0, 1) },
      ],
      model,
    );
    expect(tags.map((t) => t.tag)).toEqual(['happy']);
    expect(tags[0].score).toBeGreaterThan(0.9);
  });

  it('CLIP: a scene equally far from every prompt gets no tag', () => {
    const prompts = ['a', 'b', 'c', 'd'].map((tag, i) => ({ tag, vector: unit(...[0, 1, 2, 3].map((k) => (k === i ? 1 : 0))) }));
    expect(clipMoodTags(unit(1, 1, 1, 1), prompts, model)).toEqual([]);
  });

  it('faces: the dominant non-neutral expression, only when clear', () => {
    expect(
      expressionTags(
        [
          { happy: 0.9, neutral: 0.1 },
          { happy: 0.7, neutral: 0.3 },
        ],
        model,
      ).map((t) => t.tag),
    ).toEqual(['happy']);
    expect(expressionTags([{ happy: 0.3, neutral: 0.7 }], model)).toEqual([]);
    expect(expressionTags([], model)).toEqual([]);
  });

  it('loudness: loud and quiet scenes, nothing in between or without audio', () => {
    expect(loudnessTags(-12, model)[0].tag).toBe('loud');
    expect(loudnessTags(-60, model)[0].tag).toBe('quiet');
    expect(loudnessTags(-30, model)).toEqual([]);
    expect(loudnessTags(null, model)).toEqual([]);
  });
});
