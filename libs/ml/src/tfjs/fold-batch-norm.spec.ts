import { resolveFfmpegBinaries } from '@heimdex/media';
import type { io, LayersModel, Tensor } from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { nsfwjsMobileNetV2 } from '../moderation/nsfwjs-bundle';
import { foldBatchNorm } from './fold-batch-norm';
import { Tfjs, tfjs } from './tfjs-runtime';

const FILM = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'realmedia', 'film');

/** Frames of a real clip, one every `everyS` seconds, scaled to side×side RGB and 0..1 as nsfwjs feeds its model. */
function filmFrames(tf: Tfjs, file: string, everyS: number, side: number): Tensor {
  const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const raw = execFileSync(
    ffmpeg,
    ['-v', 'error', '-i', join(FILM, file), '-vf', `fps=1/${everyS},scale=${side}:${side}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:'],
    {
      maxBuffer: 64 << 20,
    },
  );
  const n = raw.length / (side * side * 3);
  return tf.tidy(() => tf.tensor4d(Uint8Array.from(raw), [n, side, side, 3], 'int32').toFloat().div(255));
}

async function saved(tf: Tfjs, model: LayersModel): Promise<io.ModelArtifacts> {
  let artifacts: io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return artifacts!;
}

function maxAbsDiff(tf: Tfjs, a: Tensor, b: Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

describe('foldBatchNorm', () => {
  let tf: Tfjs;
  beforeAll(async () => {
    tf = await tfjs();
  });

  it('folds BatchNormalization into a Conv2D with a bias and a DepthwiseConv2D with a depth multiplier, computing the same function', async () => {
    const input = tf.input({ shape: [12, 12, 3] });
    const conv = tf.layers.conv2d({ filters: 5, kernelSize: 3, useBias: true, padding: 'same' }).apply(input) as ReturnType<typeof tf.input>;
    const bn1 = tf.layers.batchNormalization({ epsilon: 0.01 }).apply(conv) as ReturnType<typeof tf.input>;
    const depthwise = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: false }).apply(bn1) as ReturnType<typeof tf.input>;
    const bn2 = tf.layers.batchNormalization({ center: false }).apply(depthwise) as ReturnType<typeof tf.input>;
    const relu = tf.layers.reLU({ maxValue: 6 }).apply(bn2) as ReturnType<typeof tf.input>;
    // A BatchNormalization after a non-linear layer must stay.
    const kept = tf.layers.batchNormalization().apply(relu) as ReturnType<typeof tf.input>;
    const original = tf.model({ inputs: input, outputs: kept });
    // Statistics far from the identity, so that a wrong fold shows.
    for (const layer of original.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      layer.setWeights(layer.getWeights().map((w) => tf.randomUniform(w.shape, 0.3, 2.5, 'float32', 7)));
    }
    const x = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 3);

    const folded = foldBatchNorm(tf, await saved(tf, original));
    const model = await tf.loadLayersModel(tf.io.fromMemory(folded));

    expect(folded.folded).toBe(2);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'ReLU', 'BatchNormalization']);
    const want = original.predict(x) as Tensor;
    const got = model.predict(x) as Tensor;
    expect(tf.tidy(() => want.abs().max().dataSync()[0])).toBeGreaterThan(0.1);
    expect(maxAbsDiff(tf, want, got)).toBeLessThan(1e-4);
    tf.dispose([x, want, got]);
    original.dispose();
    model.dispose();
  });

  it("nsfwjs's MobileNetV2, folded, scores real film frames as the model it ships", async () => {
    const bundled = nsfwjsMobileNetV2();
    const folded = foldBatchNorm(tf, bundled);
    const [original, model] = await Promise.all([tf.loadLayersModel(tf.io.fromMemory(bundled)), tf.loadLayersModel(tf.io.fromMemory(folded))]);
    const frames = tf.concat([filmFrames(tf, 'tears_of_steel_0500.mp4', 2, 224), filmFrames(tf, 'big_buck_bunny_0_30.webm', 5, 224)]);

    expect(folded.folded).toBe(52);
    expect(model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    const want = original.predict(frames) as Tensor;
    const got = model.predict(frames) as Tensor;
    expect(frames.shape[0]).toBeGreaterThanOrEqual(10);
    // The five class probabilities of every frame, and so each frame's top class.
    expect(maxAbsDiff(tf, want, got)).toBeLessThan(2e-3);
    expect(Array.from(got.argMax(1).dataSync())).toEqual(Array.from(want.argMax(1).dataSync()));
    tf.dispose([frames, want, got]);
    original.dispose();
    model.dispose();
  });
});
