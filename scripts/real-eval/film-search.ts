/**
 * The pipeline half of the film set: the real clips indexed by the real API and worker (embedded
 * Postgres), then searched as a user would: caption phrases of the Popeye clip, first with only
 * its embedded bitmap (PGS) subtitle track, then after its own SubRip captions are added through
 * PUT /v1/videos/:id/captions; on-screen phrases of the Big Buck Bunny titles; and the scenes the
 * pipeline cut, against the cuts read off the frames.
 */
import type { AppConfig } from '@heimdex/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bearer } from '../lib/tokens';
import { VideosClient } from '../lib/videos-client';
import { FilmClip } from './film-truth';
import { scoreCuts } from './film-vision';
import { startPipelineStack } from './pipeline-stack';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm', mkv: 'video/x-matroska' };

interface Hit {
  videoId: string;
  startS: number;
  endS: number;
  matchStartS: number | null;
  matchedBy: string[];
}

export interface PhraseOutcome {
  file: string;
  query: string;
  /** Rank (1-based) of the clip's hit in the top 5; null: not there. */
  rank: number | null;
  /** Caption phrases: the match starts inside its cue; on-screen phrases: the hit scene overlaps the span. */
  inSpan: boolean;
}

export interface FilmSearchResult {
  captionsEmbeddedBitmapOnly: PhraseOutcome[];
  captionsAdded: PhraseOutcome[];
  onScreen: PhraseOutcome[];
  sceneCuts: { file: string; truth: number[]; found: number[]; hits: number; falseCuts: number }[];
  indexSeconds: number;
  /** Clips the pipeline did not index (failed, or not within 15 min): their phrases are left out. */
  failed: { file: string; error: string }[];
}

async function searchTop5(baseUrl: string, token: string, query: string): Promise<Hit[]> {
  const res = await request(baseUrl)
    .get('/v1/search')
    .query({ q: `"${query}"`, limit: 5 })
    .set(bearer(token))
    .expect(200);
  return (res.body as { items: Hit[] }).items;
}

async function phrases(
  baseUrl: string,
  token: string,
  videoId: string,
  file: string,
  wanted: { query: string; startS: number; endS: number }[],
  spanOf: (h: Hit) => [number, number],
): Promise<PhraseOutcome[]> {
  const out: PhraseOutcome[] = [];
  for (const p of wanted) {
    const hits = await searchTop5(baseUrl, token, p.query);
    const at = hits.findIndex((h) => h.videoId === videoId);
    const hit = at >= 0 ? hits[at] : null;
    const [from, to] = hit ? spanOf(hit) : [0, -1];
    out.push({ file, query: p.query, rank: hit ? at + 1 : null, inSpan: !!hit && from <= p.endS && to >= p.startS });
  }
  return out;
}

export async function evalFilmSearch(config: AppConfig, dir: string, clips: FilmClip[], log: (m: string) => void): Promise<FilmSearchResult> {
  // Objects and moderation add nothing these figures read, and the clips must index on a busy machine.
  const stack = await startPipelineStack(config, { OBJECTS_ENABLED: 'false', MODERATION_ENABLED: 'false' });
  try {
    const token = await stack.token('00000000-0000-4000-8000-0000000f11a1');
    const client = new VideosClient(stack.baseUrl, token);
    const ids = new Map<string, string>();
    const t0 = performance.now();
    for (const clip of clips) {
      const ext = clip.file.split('.').pop() ?? 'mp4';
      ids.set(clip.file, await client.upload(join(dir, clip.file), { title: 'film clip', contentType: CONTENT_TYPES[ext] ?? 'video/mp4' }));
    }
    const failed: { file: string; error: string }[] = [];
    for (const clip of clips) {
      try {
        await client.indexed(ids.get(clip.file) ?? '', 900_000);
        log(`indexed ${clip.file}`);
      } catch (err) {
        failed.push({ file: clip.file, error: err instanceof Error ? err.message.slice(0, 200) : String(err) });
        log(`not indexed ${clip.file}: ${String(err)}`);
      }
    }
    const indexSeconds = (performance.now() - t0) / 1000;
    const result: FilmSearchResult = { captionsEmbeddedBitmapOnly: [], captionsAdded: [], onScreen: [], sceneCuts: [], indexSeconds, failed };
    const indexed = clips.filter((c) => !failed.some((f) => f.file === c.file));
    for (const clip of indexed) {
      const id = ids.get(clip.file) ?? '';
      const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as { startS: number }[];
      const found = scenes.map((s) => s.startS).filter((s) => s > 0);
      if (clip.cuts) result.sceneCuts.push({ file: clip.file, truth: clip.cuts, found, ...scoreCuts(clip.cuts, found) });
      if (clip.text.length) result.onScreen.push(...(await phrases(stack.baseUrl, token, id, clip.file, clip.text, (h) => [h.startS, h.endS])));
    }
    for (const clip of indexed.filter((c) => c.captions && c.captionPhrases)) {
      const id = ids.get(clip.file) ?? '';
      const spoken = clip.captionPhrases ?? [];
      const matchAt = (h: Hit): [number, number] => [h.matchStartS ?? h.startS, h.matchStartS ?? h.endS];
      result.captionsEmbeddedBitmapOnly.push(...(await phrases(stack.baseUrl, token, id, clip.file, spoken, matchAt)));
      await request(stack.baseUrl)
        .put(`/v1/videos/${id}/captions`)
        .set(bearer(token))
        .set('Content-Type', 'application/x-subrip')
        .send(readFileSync(join(dir, clip.captions ?? '')).toString('utf8'))
        .expect(202);
      await client.indexed(id, 900_000);
      log(`re-indexed ${clip.file} with its captions`);
      result.captionsAdded.push(...(await phrases(stack.baseUrl, token, id, clip.file, spoken, matchAt)));
    }
    return result;
  } finally {
    await stack.close();
  }
}
