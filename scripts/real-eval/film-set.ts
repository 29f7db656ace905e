import { resolveFfmpegBinaries } from '@heimdex/media';
import { PpOcrEngine } from '@heimdex/ml';
import { loadFilmTruth } from './film-truth';
import { evalFilmSearch, PhraseOutcome } from './film-search';
import { evalFilmVision } from './film-vision';
import type { RealEvalMetric, RealEvalSet } from './real-eval-set';

function recallMetric(name: string, outcomes: PhraseOutcome[], target: number | null): RealEvalMetric[] {
  const found = outcomes.filter((o) => o.rank !== null).length;
  const inSpan = outcomes.filter((o) => o.inSpan).length;
  const value = outcomes.length ? found / outcomes.length : 0;
  const missed = outcomes.filter((o) => o.rank === null).map((o) => `"${o.query}"`);
  return [
    {
      name: `recall@5, ${name}`,
      value,
      detail: `${found} of ${outcomes.length}${missed.length ? `; missed ${missed.join(', ')}` : ''}`,
      ...(target === null ? {} : { target: `≥ ${target}`, met: value >= target }),
    },
    { name: `  hits at the right time, ${name}`, value: found ? inSpan / found : 0, detail: `${inSpan} of ${found}` },
  ];
}

/**
 * Real film: Tears of Steel (live action) and Big Buck Bunny cuts and title text, and a public-domain
 * Popeye cartoon with its own captions (test/fixtures/realmedia/film, truth.json written from the frames).
 * Small size (CI): the cuts of the clips marked ci in truth.json (Tears of Steel) only. Full size: OCR of the titles, then the whole
 * pipeline and search.
 */
export const filmSet: RealEvalSet = {
  name: 'film (Tears of Steel, Big Buck Bunny, Popeye 1936)',
  description: 'cuts on real film, OCR of a real title, and search recall@5 of caption and on-screen phrases through the pipeline',
  run: async (context) => {
    const { dir, clips } = loadFilmTruth(context.fixturesDir);
    const bins = resolveFfmpegBinaries(context.config.media);
    const ocr = context.small || !context.config.ml.ocrEnabled ? null : await PpOcrEngine.create();
    const vision = await evalFilmVision(bins, context.config, dir, context.small ? clips.filter((c) => c.ci) : clips, context.workDir, ocr);
    const metrics: RealEvalMetric[] = [];
    for (const c of vision.cuts) {
      metrics.push({
        name: `cuts within 0.5 s, ${c.file}`,
        value: c.hits,
        target: `= ${c.truth.length}`,
        met: c.hits === c.truth.length,
        detail: `found ${c.found.map((t) => t.toFixed(2)).join(' ') || 'none'}`,
      });
      metrics.push({ name: `false cuts, ${c.file}`, value: c.falseCuts, target: '= 0', met: c.falseCuts === 0 });
    }
    for (const t of vision.text) {
      metrics.push({
        name: `OCR word recall, "${t.phrase}"`,
        value: t.wordRecall,
        target: '= 1',
        met: t.wordRecall === 1,
        detail: `read ${t.read.map((r) => `"${r}"`).join(', ') || 'nothing'}`,
      });
    }
    for (const o of vision.linesOutsideText) {
      metrics.push({ name: `OCR lines outside the titles, ${o.file}`, value: o.lines.length, detail: o.lines.slice(0, 6).join(' | ') });
    }
    if (vision.ocrMsPerFrame !== null) metrics.push({ name: 'OCR ms per kept frame', value: Math.round(vision.ocrMsPerFrame) });
    if (context.small) return { metrics };

    const search = await evalFilmSearch(context.config, dir, clips, context.log);
    metrics.push({
      name: 'clips indexed by the pipeline',
      value: clips.length - search.failed.length,
      target: `= ${clips.length}`,
      met: search.failed.length === 0,
      detail: search.failed.map((f) => `${f.file}: ${f.error}`).join('; '),
    });
    metrics.push({ name: 'indexing time, all clips (s)', value: Math.round(search.indexSeconds) });
    for (const c of search.sceneCuts) {
      metrics.push({
        name: `scene starts within 0.5 s of a cut, ${c.file}`,
        value: c.hits,
        detail: `of ${c.truth.length}; ${c.falseCuts} other scene starts`,
      });
    }
    metrics.push(...recallMetric('on-screen title phrases', search.onScreen, 1));
    metrics.push(...recallMetric('captions, embedded PGS track only', search.captionsEmbeddedBitmapOnly, null));
    metrics.push(...recallMetric('captions, own SubRip added', search.captionsAdded, 1));
    return { metrics };
  },
};
