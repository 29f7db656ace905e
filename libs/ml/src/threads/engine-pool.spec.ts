import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { testConfig } from '../../../../test/helpers/test-config';
import { EnginePool } from './engine-pool';

const PHOTO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');

describe('EnginePool (real nsfwjs in worker threads)', () => {
  it('spreads calls made at once over its threads, each answering as one thread would', async () => {
    const pool = await EnginePool.start('moderation', testConfig(), 2);
    try {
      if (!pool.availability.available) throw new Error(pool.availability.reason);
      const classifier = pool.availability.engine;
      expect(classifier.model.name).toBe('nsfwjs-mobilenet-v2');
      const photo = readFileSync(PHOTO);
      const calls = [1, 2, 3, 4].map(() => classifier.classify(photo));
      // Four calls sent at once: two waiting in each thread, none answered yet.
      expect(pool.threads.map((t) => t.busy)).toEqual([2, 2]);
      const scores = await Promise.all(calls);
      for (const s of scores) expect(s).toEqual(scores[0]);
      expect(pool.threads.map((t) => t.busy)).toEqual([0, 0]);
    } finally {
      await pool.close();
    }
  });

  it('is unavailable with the reason, holding no thread, when the engine does not load', async () => {
    const pool = await EnginePool.start('moderation', testConfig({ MODERATION_ENABLED: 'false' }), 2);
    expect(pool.availability).toEqual({ available: false, reason: 'content moderation is switched off (MODERATION_ENABLED=false)' });
    expect(pool.threads).toEqual([]);
  });
});
