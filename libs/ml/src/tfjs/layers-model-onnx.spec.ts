import { resolveFfmpegBinaries } from '@heimdex/media';
import type { io, LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { nsfwjsMobileNetV2 } from '../moderation/nsfwjs-bundle';
import { createOnnxSession } from '../onnx/onnx-session';
import { KerasTopology, layersModelToOnnx } from './layers-model-onnx';
import { Tfjs, tfjs } from './tfjs-runtime';
import { decodeTfjsWeights } from './tfjs-weights';

const FILM = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'realmedia', 'film');

/** Frames of a real clip, one every `everyS` seconds, scaled to side×side RGB (NHWC bytes). */
function filmFrames(file: string, everyS: number, side: number): Uint8Array {
  const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const args = ['-v', 'error', '-i', join(FILM, file), '-vf', `fps=1/${everyS},scale=${side}:${side}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:'];
  return execFileSync(ffmpeg, args, { maxBuffer: 64 << 20 });
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

async function session(artifacts: { modelTopology: unknown; weightSpecs: io.WeightsManifestEntry[]; weightData: ArrayBuffer }): Promise<InferenceSession> {
  const weights = decodeTfjsWeights(Buffer.from(artifacts.weightData), artifacts.weightSpecs);
  return createOnnxSession({ name: 'test', bytes: layersModelToOnnx(artifacts.modelTopology as KerasTopology, weights, 'test') }, { threads: 1 });
}

/** NHWC floats to NCHW, run, back as a flat array. */
async function runNchw(s: InferenceSession, nhwc: Float32Array, [n, h, w, c]: number[]): Promise<Float32Array> {
  const nchw = new Float32Array(nhwc.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) nchw[(b * c + k) * h * w + i] = nhwc[(b * h * w + i) * c + k];
  const out = await s.run({ [s.inputNames[0]]: new OrtTensor('float32', nchw, [n, c, h, w]) });
  return out[s.outputNames[0]].data as Float32Array;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('layersModelToOnnx', () => {
  let tf: Tfjs;
  beforeAll(async () => {
    tf = await tfjs();
  });

  it('computes what tfjs computes for each layer kind it converts', async () => {
    const input = tf.input({ shape: [12, 12, 3] });
    // Seeded weights: with tfjs's unseeded defaults the outputs were sometimes too alike for the spread check below.
    const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
    const apply = (layer: { apply: (x: SymbolicTensor | SymbolicTensor[]) => unknown }, x: SymbolicTensor | SymbolicTensor[]) =>
      layer.apply(x) as SymbolicTensor;
    const padded = apply(
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [0, 1],
        ],
      }),
      input,
    );
    const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, useBias: true, padding: 'valid', kernelInitializer: seeded(1) }), padded);
    const bn1 = apply(tf.layers.batchNormalization({ epsilon: 0.01 }), conv);
    const relu6 = apply(tf.layers.reLU({ maxValue: 6 }), bn1);
    const depthwise = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, useBias: false, padding: 'same', depthwiseInitializer: seeded(2) }), relu6);
    const bn2 = apply(tf.layers.batchNormalization({ center: false }), depthwise);
    const sum = apply(tf.layers.add(), [relu6, bn2]);
    const pooled = apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 3 }), sum);
    const flat = apply(tf.layers.flatten(), pooled);
    const hidden = apply(tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: seeded(3) }), flat);
    const dropped = apply(tf.layers.dropout({ rate: 0.5 }), hidden);
    const probs = apply(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(4) }), dropped);
    const model = tf.model({ inputs: input, outputs: probs });
    // Statistics far from the identity, so that a wrong normalisation shows.
    for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      layer.setWeights(layer.getWeights().map((w) => tf.randomUniform(w.shape, 0.3, 2.5, 'float32', 7)));
    }
    const x = tf.randomUniform([2, 12, 12, 3], -1, 1, 'float32', 3);
    const want = (model.predict(x) as Tensor).dataSync();

    const got = await runNchw(await session((await saved(tf, model)) as never), x.dataSync() as Float32Array, [2, 12, 12, 3]);

    expect(got.length).toBe(6);
    // Probabilities that differ per sample and class: a wrong flatten order or padding side changes them.
    expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.05);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose(x);
    model.dispose();
  });

  it('names a layer it cannot convert', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const model = tf.model({ inputs: input, outputs: tf.layers.upSampling2d({ size: [2, 2] }).apply(input) as SymbolicTensor });
    await expect(session((await saved(tf, model)) as never)).rejects.toThrow(/layer UpSampling2D \(up_sampling2d\w*\) is not converted to ONNX/);
    model.dispose();
  });

  it("scores real film frames with nsfwjs's MobileNetV2 as tfjs does with the model as it ships", async () => {
    const bundled = nsfwjsMobileNetV2();
    const side = 224;
    const bytes = Buffer.concat([filmFrames('tears_of_steel_0500.mp4', 2, side), filmFrames('big_buck_bunny_0_30.webm', 5, side)]);
    const n = bytes.length / (side * side * 3);
    const pixels = Float32Array.from(bytes, (v) => v / 255);
    const weightData = new Uint8Array(bundled.data).buffer;
    const original = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: bundled.modelTopology, weightSpecs: bundled.weights as io.WeightsManifestEntry[], weightData }),
    );
    const x = tf.tensor4d(pixels, [n, side, side, 3]);
    const wantTensor = original.predict(x) as Tensor;
    const want = wantTensor.dataSync();
    const top = Array.from(wantTensor.argMax(1).dataSync());

    const got = await runNchw(
      await session({ modelTopology: bundled.modelTopology, weightSpecs: bundled.weights as io.WeightsManifestEntry[], weightData }),
      pixels,
      [n, side, side, 3],
    );

    expect(n).toBeGreaterThanOrEqual(10);
    // The five class probabilities of every frame (measured: 7.5e-7 at most), and so each frame's top class.
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    const gotTop = Array.from({ length: n }, (_, i) => {
      const p = Array.from(got.subarray(i * 5, i * 5 + 5));
      return p.indexOf(Math.max(...p));
    });
    expect(gotTop).toEqual(top);
    tf.dispose([x, wantTensor]);
    original.dispose();
  });
});
