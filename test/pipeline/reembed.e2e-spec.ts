import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { media } from '../helpers/media';
import { writeTestTextModel } from '../helpers/onnx-models';
import { testConfig } from '../helpers/test-config';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/** Changing the text model: a worker started with the new one re-embeds every scene in the background, then swaps. */
describe('pipeline: re-embedding after a model change', () => {
  let stack: TestStack;

  beforeAll(async () => {
    const oldModels = mkdtempSync(join(tmpdir(), 'heimdex-models-old-'));
    writeTestTextModel(oldModels, { name: 'test-minilm' });
    stack = await startTestStack({ worker: true, env: { MODEL_DIR: oldModels, ASR_ENGINE: 'none', FACES_ENABLED: 'false' } });
  }, 120_000);
  afterAll(() => stack.close());

  it('moves every text vector to the new model and leaves none half-done', async () => {
    const client = new VideosClient(stack.baseUrl, await hsToken());
    const file = media.shots({
      name: 'reembed-two-text-shots',
      audio: 'none',
      shots: [
        { seconds: 2, color: 'navy', text: 'HELLO' },
        { seconds: 2, color: 'black', text: 'WORLD' },
      ],
    });
    const video = await client.indexed(await client.upload(file));
    const before = await sql<{ model: string; v: string }>(
      stack.db.url,
      'select text_embedding_model as model, text_embedding::text as v from scenes where video_id = $1 and text_embedding is not null',
      [video.id],
    );
    expect(before.length).toBe(2);
    expect(before.every((r) => r.model.startsWith('test-minilm@'))).toBe(true);

    // The operator installs another model and restarts the worker with it.
    await stack.worker!.close();
    const newModels = mkdtempSync(join(tmpdir(), 'heimdex-models-new-'));
    writeTestTextModel(newModels, { name: 'test-minilm-b', pooling: 'cls' });
    const worker = await createWorkerApp(testConfig({ ...envOf(stack), MODEL_DIR: newModels }));
    await worker.init();
    try {
      const after = await eventually(async () => {
        const rows = await sql<{ model: string; next: string | null; v: string }>(
          stack.db.url,
          'select text_embedding_model as model, text_embedding_next_model as next, text_embedding::text as v from scenes where video_id = $1 and text_embedding is not null',
          [video.id],
        );
        return rows.every((r) => r.model.startsWith('test-minilm-b@')) ? rows : undefined;
      }, 60_000);
      expect(after.every((r) => r.next === null)).toBe(true);
      expect(after.map((r) => r.v).sort()).not.toEqual(before.map((r) => r.v).sort());
    } finally {
      await worker.close();
    }
  });
});

/** The stack's own settings, so the second worker shares its database, Redis prefix and storage. */
function envOf(stack: TestStack): Record<string, string> {
  const c = stack.config;
  return {
    DATABASE_URL: c.database.url!,
    QUEUE_PREFIX: c.redis.prefix,
    DATA_DIR: c.dataDir,
    ASR_ENGINE: 'none',
    FACES_ENABLED: 'false',
  };
}
