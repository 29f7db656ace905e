import { matchScenes } from './face-matcher';

const at = (degrees: number) => Float32Array.from([Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180), 0]);
const rule = { threshold: 0.95, margin: 0.02 };
const people = [
  { personId: 'ann', exemplars: [at(0)] },
  { personId: 'bob', exemplars: [at(90)] },
];

describe('matchScenes', () => {
  it('names a person once per scene, in every scene they are in', () => {
    const tracks = [
      { sceneId: 's1', descriptor: at(2) },
      { sceneId: 's2', descriptor: at(1) },
      { sceneId: 's2', descriptor: at(88) },
    ];
    expect(matchScenes(tracks, people, rule).map((m) => m?.personId ?? null)).toEqual(['ann', 'ann', 'bob']);
  });

  it('gives a person to the nearer of two tracks in one scene only; the other stays unnamed', () => {
    const tracks = [
      { sceneId: 's1', descriptor: at(4) },
      { sceneId: 's1', descriptor: at(1) },
      { sceneId: 's2', descriptor: at(4) },
    ];
    expect(matchScenes(tracks, people, rule).map((m) => m?.personId ?? null)).toEqual([null, 'ann', 'ann']);
  });

  it('names nobody without people, and nobody below the threshold', () => {
    expect(matchScenes([{ sceneId: 's', descriptor: at(0) }], [], rule)).toEqual([null]);
    expect(matchScenes([{ sceneId: 's', descriptor: at(45) }], people, rule)).toEqual([null]);
  });
});
