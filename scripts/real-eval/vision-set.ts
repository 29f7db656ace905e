import type { RealEvalMetric, RealEvalSet } from './real-eval-set';
import { runVisionSet } from './vision';

/** The visual half of `eval:real`: shot cuts, a fading title card's OCR and faces on real talking heads. */
export const visionSet: RealEvalSet = {
  name: 'vision (GRID talking heads, title card over a real photo)',
  description: 'cuts with every ffmpeg build, OCR recall of a 320x180 fading title card, face-track identity and enrolled-person precision/recall',
  run: async (context) => {
    const r = await runVisionSet(context.sharedDir);
    const metrics: RealEvalMetric[] = [];
    if (!('skipped' in r.cuts)) {
      for (const c of r.cuts) {
        metrics.push({
          name: `cuts found within 0.5 s, ${c.ffmpeg}`,
          value: c.hits,
          target: `= ${c.truth.length}`,
          met: c.hits === c.truth.length,
          detail: `${c.falseCuts} false`,
        });
        metrics.push({ name: `frames analysed / skipped, ${c.ffmpeg}`, value: c.framesAnalysed, detail: `${c.framesSkipped} skipped of ${c.decoded} decoded` });
      }
    }
    if (!('skipped' in r.ocr)) {
      metrics.push({
        name: 'OCR recall, title card + credit line',
        value: r.ocr.recall,
        target: '= 1',
        met: r.ocr.recall === 1,
        detail: `${r.ocr.ocrMsPerFrame.toFixed(0)} ms/frame`,
      });
    }
    if (!('skipped' in r.faces)) {
      const e = r.faces.enrolled;
      metrics.push({ name: 'enrolled-person precision', value: e.precision, target: '≥ 0.95', met: e.precision >= 0.95, detail: `${e.probes} probes` });
      metrics.push({ name: 'enrolled-person recall', value: e.recall, target: '≥ 0.9', met: e.recall >= 0.9 });
      metrics.push({ name: 'same person, largest cosine distance', value: r.faces.sameMaxDistance });
      metrics.push({ name: 'different people, smallest cosine distance', value: r.faces.differentMinDistance });
    }
    return metrics.length ? { metrics } : { skipped: 'no real media for the vision set' };
  },
};
