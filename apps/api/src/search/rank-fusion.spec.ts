import { fuseByReciprocalRank, SignalHit, sortByDate } from './rank-fusion';
import { SearchMode } from './search-mode';

const at = new Date('2026-01-01T00:00:00Z');
const hit = (sceneId: string, extra: Partial<SignalHit> = {}): SignalHit => ({
  sceneId,
  videoId: 'v1',
  startS: 0,
  videoCreatedAt: at,
  scores: {},
  matchedBy: [],
  ...extra,
});

describe('fuseByReciprocalRank', () => {
  it('adds 1/(k+rank) over the lists, so agreement between signals wins', () => {
    const lexical = [hit('a', { scores: { transcript: 0.5 }, matchedBy: [SearchMode.Transcript] }), hit('b')];
    const visual = [hit('b', { scores: { visual: 0.3 }, matchedBy: [SearchMode.Visual] }), hit('c')];
    const fused = fuseByReciprocalRank([lexical, visual], 60);
    expect(fused.map((h) => h.sceneId)).toEqual(['b', 'a', 'c']);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[1]).toMatchObject({ score: 1 / 61, scores: { transcript: 0.5 }, matchedBy: ['transcript'] });
  });

  it('merges scores and matchedBy of one scene found by several signals, in API order', () => {
    const [b] = fuseByReciprocalRank(
      [[hit('b', { scores: { visual: 0.3 }, matchedBy: [SearchMode.Visual] })], [hit('b', { scores: { ocr: 0.2, text: 0.7 }, matchedBy: [SearchMode.Ocr] })]],
      60,
    );
    expect(b.scores).toEqual({ visual: 0.3, ocr: 0.2, text: 0.7 });
    expect(b.matchedBy).toEqual(['ocr', 'visual']);
  });

  it('breaks ties by scene id, whatever order the lists come in', () => {
    const one = fuseByReciprocalRank([[hit('z')], [hit('a')]], 60).map((h) => h.sceneId);
    const two = fuseByReciprocalRank([[hit('a')], [hit('z')]], 60).map((h) => h.sceneId);
    expect(one).toEqual(['a', 'z']);
    expect(two).toEqual(one);
  });
});

describe('sortByDate', () => {
  it('puts the newest video first and its scenes in play order', () => {
    const older = { videoId: 'v0', videoCreatedAt: new Date('2025-01-01T00:00:00Z') };
    const hits = fuseByReciprocalRank([[hit('s2', { startS: 5 }), hit('s0', older), hit('s1', { startS: 1 })]], 60);
    expect(sortByDate(hits).map((h) => h.sceneId)).toEqual(['s1', 's2', 's0']);
  });
});
