import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { media } from '../lib/media';
import { speechAvailable, writeSpeechWav } from '../lib/speech';
import { bearer } from '../lib/tokens';
import { VideosClient } from '../lib/videos-client';
import { CORPUS, EvalQuery, EvalSignal, EvalVideo, QUERIES, SHOT_S, SIGNAL_MODES, SPEECH_OFFSET_S } from './corpus';
import { firstRelevantRank, metrics, Metrics } from './metrics';

export interface EvalOptions {
  baseUrl: string;
  token: string;
  workDir: string;
  /** How many corpus videos (from the start of CORPUS); their queries come along. */
  videos?: number;
  log?: (message: string) => void;
}

export interface EvalRow {
  name: string;
  modes: string | null;
  metrics: Metrics;
  /** Why a signal was not measured (its model is not installed). */
  skipped?: string;
}

export interface EvalReport {
  rows: EvalRow[];
  /** Transcript hits ranked first whose matchStartS is within ±0.5 s of when the phrase was spoken. */
  timing: { within: number; of: number };
  speech: boolean;
  /** Per query: the rank of the first relevant result, alone and fused (for failures and tuning). */
  details: { q: string; signal: EvalSignal; alone: number | null; fused: number | null }[];
}

interface Hit {
  videoId: string;
  sceneId: string;
  matchStartS: number | null;
}
interface SearchBody {
  items: Hit[];
  unavailable: { signal: string; reason: string }[];
}

const TIME_TOLERANCE_S = 0.5;

/**
 * Builds the corpus (generated videos: ffmpeg drawtext on-screen text, espeak-ng speech where
 * installed), indexes it through the real pipeline behind `baseUrl`, runs the query set alone per
 * signal and fused, and scores the ranked lists against the scenes each query was built to find.
 */
export async function runSearchEval(opts: EvalOptions): Promise<EvalReport> {
  const log = opts.log ?? (() => undefined);
  const corpus = CORPUS.slice(0, opts.videos ?? CORPUS.length);
  const speech = speechAvailable();
  mkdirSync(opts.workDir, { recursive: true });
  const client = new VideosClient(opts.baseUrl, opts.token);

  const ids = new Map<string, string>();
  for (const video of corpus) {
    const file = generate(video, opts.workDir, speech);
    ids.set(video.key, await client.upload(file, { title: video.title }));
    log(`uploaded ${video.key}`);
  }
  const sceneAt = new Map<string, { id: string; startS: number; endS: number }[]>();
  for (const video of corpus) {
    const id = ids.get(video.key)!;
    await client.indexed(id, 600_000);
    const scenes = (await request(opts.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(opts.token)).expect(200)).body as {
      id: string;
      startS: number;
      endS: number;
    }[];
    sceneAt.set(video.key, scenes);
    log(`indexed ${video.key}: ${scenes.length} scenes`);
  }

  const queries = QUERIES.filter((q) => ids.has(q.video) && (speech || q.signal !== 'transcript'));
  const relevant = (q: EvalQuery) => {
    const scenes = sceneAt.get(q.video)!;
    const wanted = q.shots ? scenes.filter((s) => q.shots!.some((k) => s.startS <= k * SHOT_S + SHOT_S / 2 && k * SHOT_S + SHOT_S / 2 < s.endS)) : scenes;
    return new Set(wanted.map((s) => s.id));
  };
  const search = async (q: string, modes: string | null): Promise<SearchBody> =>
    (
      await request(opts.baseUrl)
        .get('/v1/search')
        .query({ q, limit: 10, ...(modes ? { modes } : {}) })
        .set(bearer(opts.token))
        .expect(200)
    ).body as SearchBody;

  const details: EvalReport['details'] = [];
  const unavailable = new Map<string, string>();
  let within = 0;
  let timed = 0;
  for (const q of queries) {
    const wanted = relevant(q);
    const isRelevant = (h: Hit) => wanted.has(h.sceneId);
    const alone = await search(q.q, SIGNAL_MODES[q.signal]);
    const fused = await search(q.q, null);
    for (const u of fused.unavailable) unavailable.set(u.signal, u.reason);
    details.push({ q: q.q, signal: q.signal, alone: firstRelevantRank(alone.items, isRelevant), fused: firstRelevantRank(fused.items, isRelevant) });
    if (q.spokenAtS !== undefined && fused.items[0] && isRelevant(fused.items[0])) {
      timed++;
      if (fused.items[0].matchStartS !== null && Math.abs(fused.items[0].matchStartS - q.spokenAtS) <= TIME_TOLERANCE_S) within++;
    }
  }

  const visualOff = unavailable.get('visual');
  const rows: EvalRow[] = (['transcript', 'ocr', 'typo', 'title', 'visual'] as EvalSignal[]).map((signal) => {
    const ranks = details.filter((d) => d.signal === signal).map((d) => d.alone);
    const skipped =
      signal === 'visual' && visualOff ? `no CLIP model: ${visualOff}` : signal === 'transcript' && !speech ? 'espeak-ng not installed' : undefined;
    return { name: signal, modes: SIGNAL_MODES[signal], metrics: metrics(skipped ? [] : ranks), skipped };
  });
  // Fused over every query a signal could answer here (without a model, its queries are left out).
  const answerable = details.filter((d) => !(d.signal === 'visual' && visualOff));
  rows.push({ name: 'fused', modes: null, metrics: metrics(answerable.map((d) => d.fused)) });
  return { rows, timing: { within, of: timed }, speech, details };
}

function generate(video: EvalVideo, dir: string, speech: boolean): string {
  const phrases = video.shots.flatMap((s, k) => (s.speech ? [{ text: s.speech, atS: k * SHOT_S + SPEECH_OFFSET_S }] : []));
  const wav = join(dir, `${video.key}.wav`);
  if (speech) writeSpeechWav(wav, phrases, video.shots.length * SHOT_S);
  return media.shots({
    name: `eval-${video.key}`,
    dir,
    size: '640x360',
    audio: speech ? { wav } : 'silent',
    shots: video.shots.map((s) => ({ seconds: SHOT_S, color: s.color, text: s.text })),
  });
}

export function formatEvalReport(report: EvalReport): string {
  const pct = (x: number) => x.toFixed(2).padStart(8);
  const lines = ['signal      modes                              queries  recall@1  recall@5       MRR'];
  for (const r of report.rows) {
    const modes = (r.modes ?? '(all)').padEnd(34);
    lines.push(
      r.skipped
        ? `${r.name.padEnd(11)} ${modes} skipped: ${r.skipped}`
        : `${r.name.padEnd(11)} ${modes} ${String(r.metrics.queries).padStart(7)}  ${pct(r.metrics.recallAt1)}  ${pct(r.metrics.recallAt5)}  ${pct(r.metrics.mrr)}`,
    );
  }
  lines.push(`transcript hits ranked first with matchStartS within ±${TIME_TOLERANCE_S} s of the spoken phrase: ${report.timing.within}/${report.timing.of}`);
  const skipped = new Set(report.rows.filter((r) => r.skipped).map((r) => r.name));
  const missed = report.details.filter((d) => d.fused !== 1 && !skipped.has(d.signal));
  if (missed.length)
    lines.push(`not first when fused: ${missed.map((d) => `"${d.q}" (${d.signal}: alone ${d.alone ?? '-'}, fused ${d.fused ?? '-'})`).join(', ')}`);
  return lines.join('\n');
}
