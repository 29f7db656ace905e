import { assignFaces, cosineSimilarity, KnownPerson } from './face-similarity';

/** A unit vector at `degrees` from the x axis in the xy plane: cos(angle between two) is their similarity. */
function at(degrees: number): Float32Array {
  const r = (degrees * Math.PI) / 180;
  return Float32Array.from([Math.cos(r), Math.sin(r), 0, 0]);
}
const sim = (degrees: number) => Math.cos((degrees * Math.PI) / 180);
const person = (personId: string, ...exemplars: Float32Array[]): KnownPerson => ({ personId, exemplars });
const rule = { threshold: 0.95, margin: 0.02 };

describe('cosineSimilarity', () => {
  it('is the normalised dot product', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([2, 0], [5, 0])).toBe(1);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 10);
    expect(cosineSimilarity(at(0), at(60))).toBeCloseTo(0.5, 6);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
  });

  it('refuses descriptors of different lengths', () => {
    expect(() => cosineSimilarity([1, 0], [1, 0, 0])).toThrow(/length/);
  });
});

describe('assignFaces', () => {
  it('names a face after the person whose nearest exemplar is similar enough and clearly ahead', () => {
    const people = [person('ann', at(60), at(2)), person('bob', at(40))];
    expect(assignFaces([at(0)], people, rule)).toEqual([{ personId: 'ann', similarity: expect.closeTo(sim(2), 6) }]);
  });

  it('leaves a face unnamed below the threshold', () => {
    expect(assignFaces([at(0)], [person('ann', at(20))], rule)).toEqual([null]);
    expect(assignFaces([at(0)], [person('ann', at(18))], rule)).toEqual([{ personId: 'ann', similarity: expect.closeTo(sim(18), 6) }]);
  });

  it('leaves a face unnamed when the second-best person is within the margin', () => {
    // cos 5° = 0.9962, cos 9° = 0.9877: ahead by 0.0085 < 0.02.
    expect(assignFaces([at(0)], [person('ann', at(5)), person('bob', at(-9))], rule)).toEqual([null]);
    // cos 16° = 0.9613: ahead by 0.035.
    expect(assignFaces([at(0)], [person('ann', at(5)), person('bob', at(-16))], rule)).toEqual([{ personId: 'ann', similarity: expect.closeTo(sim(5), 6) }]);
  });

  it('names nobody when two people are exactly as similar, even with no margin', () => {
    expect(assignFaces([at(0)], [person('ann', at(5)), person('bob', at(-5))], { threshold: 0.9, margin: 0 })).toEqual([null]);
  });

  it('gives a person to one face per frame: the more similar one; the other stays unnamed', () => {
    const people = [person('ann', at(0)), person('bob', at(90))];
    expect(assignFaces([at(3), at(-1), at(89)], people, rule)).toEqual([
      null,
      { personId: 'ann', similarity: expect.closeTo(sim(1), 6) },
      { personId: 'bob', similarity: expect.closeTo(sim(1), 6) },
    ]);
    expect(assignFaces([at(2), at(-2)], people, rule)).toEqual([null, null]);
  });

  it('ignores people without exemplars and handles no faces or no people', () => {
    expect(assignFaces([at(0)], [person('ann'), person('bob', at(1))], rule)).toEqual([{ personId: 'bob', similarity: expect.closeTo(sim(1), 6) }]);
    expect(assignFaces([], [person('ann', at(0))], rule)).toEqual([]);
    expect(assignFaces([at(0), at(90)], [], rule)).toEqual([null, null]);
  });
});
