import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { decodeRgb, fitWithin, RgbImage } from '../../libs/ml/src/faces/decode-image';
import { FaceApiEngine } from '../../libs/ml/src/faces/face-api-engine';
import { BUNDLED_FACE_MODELS, faceApi, FaceApi, loadFaceApiNets, onTfjs } from '../../libs/ml/src/faces/face-api-runtime';
import { SsdFaceDetector } from '../../libs/ml/src/faces/ssd-face-detector';

const DEMO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const IMAGES = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];

/** Each demo photo as is and letterboxed into a 1280x720 video frame (the square input's padding then lies below the picture). */
async function pictures(): Promise<{ name: string; rgb: RgbImage }[]> {
  const out: { name: string; rgb: RgbImage }[] = [];
  for (const image of IMAGES) {
    const photo = readFileSync(join(DEMO, image));
    out.push({ name: image, rgb: await decodeRgb(photo) });
    const frame = await sharp(photo).resize(1280, 720, { fit: 'contain', background: '#000000' }).jpeg().toBuffer();
    out.push({ name: `${image} in 1280x720`, rgb: await decodeRgb(frame) });
  }
  return out;
}

function faceApiSsd(api: FaceApi, rgb: RgbImage, minConfidence: number) {
  return onTfjs(async () => {
    const input = api.tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
    try {
      return await api.detectAllFaces(input, new api.SsdMobilenetv1Options({ minConfidence })).withFaceLandmarks();
    } finally {
      input.dispose();
    }
  });
}

describe('SsdFaceDetector: face-api SSD MobileNet v1 rebuilt as ONNX (real weights)', () => {
  let api: FaceApi;
  let ssd: SsdFaceDetector;
  let all: { name: string; rgb: RgbImage }[];

  beforeAll(async () => {
    api = await faceApi();
    await loadFaceApiNets(api, BUNDLED_FACE_MODELS);
    ssd = await SsdFaceDetector.create({ modelDir: BUNDLED_FACE_MODELS, threads: 1 });
    all = await pictures();
  });

  it('finds the faces face-api finds on tfjs, with the same boxes and scores', async () => {
    let faces = 0;
    for (const { name, rgb } of all) {
      const theirs = await faceApiSsd(api, rgb, 0.3);
      const ours = await ssd.detect(rgb, 0.3);
      expect({ name, count: ours.length }).toEqual({ name, count: theirs.length });
      for (const [i, face] of ours.entries()) {
        const box = theirs[i].detection.box;
        expect(Math.abs(face.score - theirs[i].detection.score)).toBeLessThan(1e-3);
        for (const [a, b] of [
          [face.box.x, box.x],
          [face.box.y, box.y],
          [face.box.width, box.width],
          [face.box.height, box.height],
        ]) {
          expect(Math.abs(a - b)).toBeLessThan(0.5);
        }
      }
      faces += ours.length;
    }
    expect(faces).toBeGreaterThanOrEqual(40);
  });

  it('gives FaceApiEngine the landmarks face-api’s withFaceLandmarks gives', async () => {
    const engine = await FaceApiEngine.create();
    let compared = 0;
    for (const { rgb } of all.slice(0, 4)) {
      const png = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
        .png()
        .toBuffer();
      // The engine detects on the picture fitted within 1280 px and maps the points back.
      const { image: small, scale } = await fitWithin(rgb, 1280);
      const theirs = await faceApiSsd(api, small, 0.5);
      for (const face of await engine.findFaces(png)) {
        const same = theirs.find((t) => Math.abs(t.detection.box.x / scale.x - face.box.x) < 1.5 && Math.abs(t.detection.box.y / scale.y - face.box.y) < 1.5);
        expect(same).toBeDefined();
        expect(Math.abs(same!.detection.score - face.score)).toBeLessThan(1e-3);
        face.landmarks.forEach((p, i) => {
          expect(Math.abs(p.x - same!.landmarks.positions[i].x / scale.x)).toBeLessThan(0.5);
          expect(Math.abs(p.y - same!.landmarks.positions[i].y / scale.y)).toBeLessThan(0.5);
        });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });
});
