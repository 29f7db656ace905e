import { alignToScenes } from './align-words';

const w = (word: string, startS: number, endS: number) => ({ word, startS, endS, confidence: null });

describe('alignToScenes', () => {
  const scenes = [
    { startS: 0, endS: 2 },
    { startS: 2, endS: 5 },
  ];

  it('puts each word in the scene holding its middle', () => {
    const aligned = alignToScenes(scenes, [
      { startS: 0.5, endS: 3, text: 'hello big world', words: [w('hello', 0.5, 1), w(' big', 1.8, 2.4), w('world', 2.5, 3)] },
    ]);
    expect(aligned.map((a) => a.transcript)).toEqual(['hello', 'big world']);
    expect(aligned[1].words.map((x) => x.word)).toEqual(['big', 'world']);
  });

  it('assigns a segment without word times by its middle, and late words to the last scene', () => {
    const aligned = alignToScenes(scenes, [
      { startS: 2.1, endS: 3.9, text: ' no words here ', words: [] },
      { startS: 5, endS: 6, text: 'late', words: [w('late', 5.1, 5.5)] },
    ]);
    expect(aligned[0].transcript).toBe('');
    expect(aligned[1].transcript).toBe('no words here late');
  });

  it('keeps punctuation attached', () => {
    const aligned = alignToScenes([{ startS: 0, endS: 5 }], [{ startS: 0, endS: 2, text: '', words: [w('Hi', 0, 0.5), w(',', 0.5, 0.6), w('there', 0.7, 1)] }]);
    expect(aligned[0].transcript).toBe('Hi, there');
  });
});
