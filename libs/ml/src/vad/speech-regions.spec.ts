import { DEFAULT_SPEECH_REGION_OPTIONS, speechRegionsFromProbabilities, totalSeconds } from './speech-regions';

const frameS = 0.1;
const options = { ...DEFAULT_SPEECH_REGION_OPTIONS, padS: 0 };
const frames = (...runs: [number, number][]): number[] => runs.flatMap(([p, n]) => Array<number>(n).fill(p));

describe('speechRegionsFromProbabilities', () => {
  it('finds a sustained burst of speech between silences', () => {
    const p = frames([0.01, 10], [0.99, 20], [0.02, 10]);
    expect(speechRegionsFromProbabilities(p, frameS, 4, options)).toEqual([{ startS: 1, endS: 3 }]);
  });

  it('keeps a region open through a pause shorter than minSilenceS and through frames between the two thresholds', () => {
    const p = frames([0.99, 10], [0.1, 2], [0.4, 5], [0.99, 10], [0.0, 10]);
    expect(speechRegionsFromProbabilities(p, frameS, 3.7, options)).toEqual([{ startS: 0, endS: 2.7 }]);
  });

  it('drops regions whose mean probability stays music-like, even when frames cross the threshold', () => {
    // Silero on a drum loop: frames hover around 0.5–0.6 for seconds.
    const p = frames([0.1, 5], ...Array.from({ length: 10 }, (): [number, number] => [0.58, 2]).flatMap((r) => [r, [0.45, 1] as [number, number]]), [0.1, 5]);
    expect(speechRegionsFromProbabilities(p, frameS, p.length * frameS, options)).toEqual([]);
  });

  it('drops bursts shorter than minSpeechS', () => {
    expect(speechRegionsFromProbabilities(frames([0, 5], [1, 2], [0, 5]), frameS, 1.2, options)).toEqual([]);
  });

  it('pads regions, clamps them to the recording and merges what the padding joins', () => {
    const p = frames([1, 5], [0, 4], [1, 5], [0, 10]);
    const padded = speechRegionsFromProbabilities(p, frameS, 2.4, { ...options, padS: 0.2 });
    expect(padded).toEqual([{ startS: 0, endS: 1.6 }]);
    expect(totalSeconds(padded)).toBe(1.6);
  });

  it('closes a region still open at the end of the recording', () => {
    expect(speechRegionsFromProbabilities(frames([0, 3], [1, 7]), frameS, 1, options)).toEqual([{ startS: 0.3, endS: 1 }]);
  });
});
