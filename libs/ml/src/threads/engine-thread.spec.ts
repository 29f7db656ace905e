import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { testConfig } from '../../../../test/helpers/test-config';
import type { FaceEngine, ModerationClassifier, ObjectDetector } from '../engine-types';
import { engineCpuSink } from './engine-cpu';
import { EngineThread } from './engine-thread';

const PHOTO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');

/**
 * The share of the wall time this thread's event loop was busy while `work` ran: near 1 when the
 * work blocks it, low when the work runs elsewhere. Unlike a timer's longest gap, a loaded machine
 * that delays this thread while it waits does not raise it.
 */
async function loopBusyShare<T>(work: () => Promise<T>): Promise<{ value: T; busy: number }> {
  const before = performance.eventLoopUtilization();
  const value = await work();
  return { value, busy: performance.eventLoopUtilization(before).utilization };
}

describe('EngineThread (real nsfwjs, CenterNet and face-api models in worker threads)', () => {
  const threads: EngineThread<'moderation' | 'objects'>[] = [];
  afterAll(() => Promise.all(threads.map((t) => t.close())));

  it('loads and classifies off the event loop, which stays mostly idle, and the thread CPU goes to the caller', async () => {
    const load = await loopBusyShare(() => EngineThread.start('moderation', testConfig()));
    threads.push(load.value);
    const { availability } = load.value;
    if (!availability.available) throw new Error(availability.reason);
    const classifier: ModerationClassifier = availability.engine;
    expect(classifier.model.name).toBe('nsfwjs-mobilenet-v2');
    expect(load.value.loadCpuS).toBeGreaterThan(0);
    // Loading nsfwjs on this thread keeps its loop busy throughout, and classifying half the time; in its own thread the loop mostly waits.
    expect(load.busy).toBeLessThan(0.25);

    const photo = readFileSync(PHOTO);
    let cpuS = 0;
    const run = await loopBusyShare(() =>
      engineCpuSink.run(
        (s) => (cpuS += s),
        () => Promise.all([1, 2, 3].map(() => classifier.classify(photo))),
      ),
    );
    expect(run.busy).toBeLessThan(0.25);
    for (const scores of run.value) expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
    expect(run.value[1]).toEqual(run.value[0]);
    expect(cpuS).toBeGreaterThan(0);
    // The caller's Buffer was copied, not transferred away.
    expect(photo.byteLength).toBeGreaterThan(1000);
    expect(photo.equals(readFileSync(PHOTO))).toBe(true);
  });

  it('forwards errors with their message, and a second engine runs in a thread of its own', async () => {
    const thread = await EngineThread.start('objects', testConfig());
    threads.push(thread);
    if (!thread.availability.available) throw new Error(thread.availability.reason);
    const detector: ObjectDetector = thread.availability.engine;
    expect(detector.minConfidence).toBeGreaterThan(0);
    await expect(detector.detect(Buffer.from('not an image'))).rejects.toThrow(/./);
    const found = await detector.detect(readFileSync(PHOTO));
    expect(found.map((o) => o.label)).toContain('person');
  });

  it('lets calls in flight finish before it closes: onnxruntime (the face detector) aborts the process when its thread is terminated mid-run', async () => {
    const thread = await EngineThread.start('faces', testConfig());
    if (!thread.availability.available) throw new Error(thread.availability.reason);
    const engine: FaceEngine = thread.availability.engine;
    const photo = readFileSync(PHOTO);
    await engine.findFaces(photo);
    const calls = [1, 2, 3].map(() => engine.findFaces(photo));
    await thread.close();
    const found = await Promise.all(calls);
    for (const faces of found) expect(faces.length).toBeGreaterThan(0);
    await expect(engine.findFaces(photo)).rejects.toThrow(/closed/);
  });

  it('is unavailable with the loader’s reason when the engine is switched off', async () => {
    const thread = await EngineThread.start('objects', testConfig({ OBJECTS_ENABLED: 'false' }));
    expect(thread.availability).toEqual({ available: false, reason: expect.stringContaining('OBJECTS_ENABLED=false') });
  });
});
