import type { DetectedObject } from '@heimdex/ml';
import { sceneObjects } from './scene-objects';

const obj = (label: string, score: number): DetectedObject => ({ label, score, box: { x: 0, y: 0, width: 1, height: 1 } });

describe('sceneObjects', () => {
  it('keeps per label the best confidence, the most instances in one frame and the first time seen', () => {
    const out = sceneObjects([
      { frameS: 4, objects: [obj('dog', 0.4), obj('car', 0.9)] },
      { frameS: 2, objects: [obj('dog', 0.3), obj('dog', 0.6), obj('dog', 0.5)] },
      { frameS: 6, objects: [] },
    ]);
    expect(out).toEqual([
      { label: 'car', confidence: 0.9, count: 1, firstS: 4 },
      { label: 'dog', confidence: 0.6, count: 3, firstS: 2 },
    ]);
  });

  it('is empty for frames without objects', () => {
    expect(sceneObjects([{ frameS: 0, objects: [] }])).toEqual([]);
  });
});
