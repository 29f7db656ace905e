import { BadRequestException, Inject, Injectable, NotFoundException, ServiceUnavailableException, UnsupportedMediaTypeException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { cocoLabelFor, cocoLabelsIn } from '@heimdex/ml';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { AuthUser } from '../auth/auth-user';
import { ThumbnailUrls } from '../common/thumbnail-urls';
import type { SearchFiltersQuery, SearchQuery } from './dto/search.query';
import type { SearchHitDto, SearchResultDto, UnavailableSignalDto } from './dto/search-result.dto';
import { LruCache } from './lru-cache';
import { Embedded, QueryEmbeddings } from './query-embeddings';
import { fuzzyTerms, hasWord } from './query-terms';
import { FusedHit, fuseByReciprocalRank, RankedList, Scores, SignalHit, sortByDate } from './rank-fusion';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './search-cursor';
import { ALL_MODES, SearchMode, SearchSort } from './search-mode';
import { LexicalField, LexicalRow, PageRow, SearchRepository, SearchScope, VectorRow } from './search.repository';

const LEXICAL_MODES: Partial<Record<SearchMode, LexicalField>> = {
  [SearchMode.Transcript]: 'transcript',
  [SearchMode.Ocr]: 'ocr',
  [SearchMode.Tag]: 'tag',
  [SearchMode.Title]: 'title',
};
const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
const LANGUAGES_TTL_MS = 60_000;
const EXCERPT_CHARS = 160;

interface Plan {
  text: string;
  modes: SearchMode[];
  restricted: boolean;
}

/**
 * Search rules: which signals a request runs, the similarity cutoffs that keep weak semantic
 * matches out, Reciprocal Rank Fusion of the lists, ordering, pagination and the response.
 */
@Injectable()
export class SearchService {
  private readonly languages = new LruCache<string, { at: number; configs: string[] }>(10_000);

  constructor(
    private readonly repo: SearchRepository,
    private readonly embeddings: QueryEmbeddings,
    private readonly thumbnails: ThumbnailUrls,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async search(user: AuthUser, query: SearchQuery): Promise<SearchResultDto> {
    const text = (query.q ?? '').trim();
    if (!text && !query.personId && !query.tags?.length && !query.objects?.length) {
      throw new BadRequestException('q is required (or filter by personId, tags or objects alone)');
    }
    const modes = query.modes?.length ? ALL_MODES.filter((m) => query.modes!.includes(m)) : [...ALL_MODES];
    const plan: Plan = { text, modes, restricted: Boolean(query.modes?.length) };
    const fingerprint = searchFingerprint({ kind: 'text', q: text, modes, ...filtersOf(query) });
    const { scope, offset } = await this.scope(user, query, fingerprint);
    if (text && !hasWord(text)) return { items: [], nextCursor: null, unavailable: [] };

    const configs = text ? await this.textSearchConfigs(user.id) : [];
    const unavailable: UnavailableSignalDto[] = [];
    const lists = text ? await this.textLists(scope, plan, configs, unavailable) : [await this.browseList(scope)];
    return this.respond(user, lists, query, { offset, fingerprint, snapshot: scope.indexedBy, text: text || null, configs, unavailable });
  }

  async searchImage(user: AuthUser, image: Buffer | undefined, query: SearchFiltersQuery): Promise<SearchResultDto> {
    const clip = await this.embeddings.clipStatus();
    if (!clip.available) {
      throw new ServiceUnavailableException(
        `image search needs a CLIP model and none is loaded: ${clip.reason} (npm run models -- pull clip-vit-base-patch32)`,
      );
    }
    if (!image?.length) throw new BadRequestException('send the picture as the multipart/form-data field "image"');
    await assertPicture(image);
    const fingerprint = searchFingerprint({ kind: 'image', image: createHash('sha256').update(image).digest('hex'), ...filtersOf(query) });
    const { scope, offset } = await this.scope(user, query, fingerprint);
    const embedded = await this.embeddings.clipImage(image);
    if ('unavailable' in embedded) throw new ServiceUnavailableException(`image search needs a CLIP model: ${embedded.unavailable}`);
    const rows = await this.repo.nearest(scope, 'visual', embedded.vector, embedded.model, this.config.search.candidates, this.config.search.hnswEfSearch);
    const hits = rows
      .filter((r) => r.similarity >= this.config.search.imageMinSimilarity)
      .map((r): SignalHit => ({ ...r, scores: { visual: round(r.similarity) }, matchedBy: [SearchMode.Visual] }));
    return this.respond(user, [hits], query, { offset, fingerprint, snapshot: scope.indexedBy, text: null, configs: [], unavailable: [] });
  }

  /** The request's filters as a scope, its cursor's snapshot and offset; filters naming another user's video or person are 404. */
  private async scope(user: AuthUser, query: SearchFiltersQuery, fingerprint: string): Promise<{ scope: SearchScope; offset: number }> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) throw new BadRequestException('from must not be after to');
    if (query.videoId && !(await this.repo.ownsVideo(user.id, query.videoId))) throw new NotFoundException('video not found');
    if (query.personId && !(await this.repo.ownsPerson(user.id, query.personId))) throw new NotFoundException('person not found');
    const cursor = query.cursor ? decodeSearchCursor(query.cursor, fingerprint) : null;
    const scope: SearchScope = {
      userId: user.id,
      indexedBy: cursor?.snapshot ?? new Date(),
      videoId: query.videoId,
      personId: query.personId,
      tags: query.tags?.length ? [...new Set(query.tags)] : undefined,
      objects: objectLabels(query.objects),
      safe: query.safe === true,
      from,
      to,
    };
    return { scope, offset: cursor?.offset ?? 0 };
  }

  /**
   * At most two statements of a search are in flight at once: full text, usually the longest, on
   * one connection, and the other lists one after another on a second. Each statement is one busy
   * Postgres backend; sent all at once they only queue for the same cores, and full text, which
   * the response waits for, finishes later (`npm run bench:search`, 1M scenes on 2 cores). The
   * query embeddings are computed from the start, in parallel, as before.
   */
  private async textLists(scope: SearchScope, plan: Plan, configs: string[], unavailable: UnavailableSignalDto[]): Promise<RankedList[]> {
    const { text, modes } = plan;
    const s = this.config.search;
    const lexicalFields = modes.map((m) => LEXICAL_MODES[m]).filter((f): f is LexicalField => f !== undefined);
    const wantsText = modes.includes(SearchMode.Transcript) || modes.includes(SearchMode.Ocr);
    const textVector = wantsText ? handled(this.embeddings.text(text)) : null;
    const clipVector = modes.includes(SearchMode.Visual) ? handled(this.embeddings.clipText(text)) : null;
    const lexical = lexicalFields.length
      ? this.repo
          .lexical(scope, {
            text,
            configs: ['simple', ...configs],
            maxMatches: s.lexicalMaxMatches,
            fields: plan.restricted ? lexicalFields : null,
            fuzzyTerms: fuzzyTerms(text),
            fuzzyBelow: s.fuzzyBelow,
            fuzzyMinSimilarity: s.fuzzyMinSimilarity,
            limit: s.candidates,
          })
          .then((rows) => this.lexicalHits(rows, plan))
      : Promise.resolve(null);
    const others = (async (): Promise<(RankedList | null)[]> => [
      textVector ? await this.textVectorList(scope, await textVector, modes, unavailable) : null,
      clipVector ? await this.visualVectorList(scope, await clipVector, unavailable) : null,
      modes.includes(SearchMode.Person) ? await this.personList(scope, text) : null,
      modes.includes(SearchMode.Object) ? await this.objectList(scope, text) : null,
    ])();
    const [lexicalList, otherLists] = await Promise.all([lexical, others]);
    return [lexicalList, ...otherLists].filter((l): l is RankedList => l !== null);
  }

  private async textVectorList(scope: SearchScope, e: Embedded, modes: SearchMode[], unavailable: UnavailableSignalDto[]): Promise<RankedList | null> {
    if ('unavailable' in e) {
      unavailable.push({ signal: 'text', reason: e.unavailable });
      return null;
    }
    const s = this.config.search;
    return this.textHits(await this.repo.nearest(scope, 'text', e.vector, e.model, s.candidates, s.hnswEfSearch), modes);
  }

  private async visualVectorList(scope: SearchScope, e: Embedded, unavailable: UnavailableSignalDto[]): Promise<RankedList | null> {
    if ('unavailable' in e) {
      unavailable.push({ signal: 'visual', reason: e.unavailable });
      return null;
    }
    const s = this.config.search;
    const rows = await this.repo.nearest(scope, 'visual', e.vector, e.model, s.candidates, s.hnswEfSearch);
    return rows
      .filter((r) => r.similarity >= s.visualMinSimilarity)
      .map((r): SignalHit => ({ ...r, scores: { visual: round(r.similarity) }, matchedBy: [SearchMode.Visual] }));
  }

  private async personList(scope: SearchScope, text: string): Promise<RankedList> {
    const rows = await this.repo.peopleNamedIn(scope, text, this.config.search.candidates);
    return rows.map((r): SignalHit => ({ ...r, scores: { person: round(r.score) }, matchedBy: [SearchMode.Person] }));
  }

  /** Scenes showing an object the query names (COCO classes and everyday words for them), best confidence first. */
  private async objectList(scope: SearchScope, text: string): Promise<RankedList | null> {
    const labels = cocoLabelsIn(text);
    if (!labels.length) return null;
    const rows = await this.repo.objectsSeen(scope, labels, this.config.search.candidates);
    return rows.map((r): SignalHit => ({ ...r, scores: { object: round(r.score) }, matchedBy: [SearchMode.Object] }));
  }

  /**
   * Full-text fields that matched become `matchedBy`; typo-tolerant hits count where their
   * similarity reached the threshold; sound-alike hits count for the transcript alone.
   */
  private lexicalHits(rows: LexicalRow[], plan: Plan): SignalHit[] {
    const min = this.config.search.fuzzyMinSimilarity;
    const hits: SignalHit[] = [];
    for (const row of rows) {
      const matched = (value: number) => (row.fuzzy ? value >= min : value > 0);
      const scores: Scores = {};
      const matchedBy: SearchMode[] = [];
      for (const [mode, field] of Object.entries(LEXICAL_MODES) as [SearchMode, LexicalField][]) {
        if (!plan.modes.includes(mode) || !matched(row.fields[field])) continue;
        scores[field] = round(row.fields[field]);
        matchedBy.push(mode);
      }
      // A near spelling or sound-alike found only in a field the request left out is not a hit.
      if ((row.fuzzy || row.phonetic) && plan.restricted && !matchedBy.length) continue;
      hits.push({ ...row, scores, matchedBy });
    }
    return hits;
  }

  /** The scene text vector covers transcript and on-screen text: a hit counts for whichever of them the scene has. */
  private textHits(rows: VectorRow[], modes: SearchMode[]): SignalHit[] {
    const hits: SignalHit[] = [];
    for (const row of rows) {
      if (row.similarity < this.config.search.textMinSimilarity) continue;
      const matchedBy = [
        ...(row.hasTranscript && modes.includes(SearchMode.Transcript) ? [SearchMode.Transcript] : []),
        ...(row.hasOcr && modes.includes(SearchMode.Ocr) ? [SearchMode.Ocr] : []),
      ];
      if (matchedBy.length) hits.push({ ...row, scores: { text: round(row.similarity) }, matchedBy });
    }
    return hits;
  }

  private async browseList(scope: SearchScope): Promise<RankedList> {
    const rows = await this.repo.browse(scope, this.config.search.candidates);
    return rows.map((r): SignalHit => {
      if (scope.personId) return { ...r, scores: { person: round(r.score) }, matchedBy: [SearchMode.Person] };
      if (!scope.tags?.length) return { ...r, scores: { object: round(r.score) }, matchedBy: [SearchMode.Object] };
      return { ...r, scores: { tag: round(r.score) }, matchedBy: [SearchMode.Tag] };
    });
  }

  private async respond(
    user: AuthUser,
    lists: RankedList[],
    query: SearchFiltersQuery,
    ctx: { offset: number; fingerprint: string; snapshot: Date; text: string | null; configs: string[]; unavailable: UnavailableSignalDto[] },
  ): Promise<SearchResultDto> {
    const limit = query.limit ?? 20;
    const fused = fuseByReciprocalRank(lists, this.config.search.rrfK);
    const ordered = query.sort === SearchSort.Date ? sortByDate(fused) : fused;
    const page = ordered.slice(ctx.offset, ctx.offset + limit);
    const rows = new Map(
      (
        await this.repo.page(
          user.id,
          page.map((h) => h.sceneId),
          ctx.text,
          ctx.configs,
        )
      ).map((r) => [r.sceneId, r]),
    );
    // A scene deleted since the lists were read drops out of the page.
    const items = await Promise.all(page.filter((hit) => rows.has(hit.sceneId)).map((hit) => this.item(hit, rows.get(hit.sceneId)!)));
    const next = ctx.offset + limit;
    return {
      items,
      nextCursor: next < ordered.length ? encodeSearchCursor({ offset: next, snapshot: ctx.snapshot, fingerprint: ctx.fingerprint }) : null,
      unavailable: ctx.unavailable,
    };
  }

  private async item(hit: FusedHit, row: PageRow): Promise<SearchHitDto> {
    const highlight = row.transcriptHighlight ?? row.ocrHighlight ?? row.tagHighlight ?? row.titleHighlight ?? excerpt(row.transcript || row.ocrText);
    return {
      videoId: row.videoId,
      sceneId: row.sceneId,
      startS: row.startS,
      endS: row.endS,
      matchStartS: hit.matchedBy.includes(SearchMode.Transcript) ? row.matchStartS : null,
      score: hit.score,
      scores: hit.scores,
      matchedBy: hit.matchedBy,
      highlight,
      thumbnailUrl: await this.thumbnails.forKey(row.thumbnailKey),
    };
  }

  /** Stemming configurations of the caller's video and scene languages; cached a minute, as a new language arrives with a newly indexed video. */
  private async textSearchConfigs(userId: string): Promise<string[]> {
    const cached = this.languages.get(userId);
    if (cached && Date.now() - cached.at < LANGUAGES_TTL_MS) return cached.configs;
    const configs = await this.repo.textSearchConfigs(userId);
    this.languages.set(userId, { at: Date.now(), configs });
    return configs;
  }
}

function filtersOf(q: SearchFiltersQuery): Record<string, unknown> {
  return {
    videoId: q.videoId,
    personId: q.personId,
    tags: q.tags ? [...new Set(q.tags)].sort() : undefined,
    objects: objectLabels(q.objects)?.sort(),
    safe: q.safe === true,
    from: q.from,
    to: q.to,
    sort: q.sort ?? SearchSort.Relevance,
  };
}

/** `objects=` as COCO classes (everyday words mapped); a word that names none is a 400. */
function objectLabels(objects: string[] | undefined): string[] | undefined {
  if (!objects?.length) return undefined;
  const labels = objects.map((o) => {
    const label = cocoLabelFor(o);
    if (!label) throw new BadRequestException(`objects: "${o}" is not an object Heimdex detects (COCO classes such as person, car, dog, boat)`);
    return label;
  });
  return [...new Set(labels)];
}

function excerpt(text: string): string | null {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (!plain) return null;
  const cut = plain.length > EXCERPT_CHARS ? `${plain.slice(0, EXCERPT_CHARS).replace(/\s\S*$/, '')} …` : plain;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function assertPicture(image: Buffer): Promise<void> {
  let format: string | undefined;
  try {
    const meta = await sharp(image).metadata();
    format = meta.width && meta.height ? meta.format : undefined;
  } catch {
    format = undefined;
  }
  if (!format || !IMAGE_FORMATS.has(format)) {
    throw new UnsupportedMediaTypeException('the upload is not a picture Heimdex can read: send a JPEG, PNG, WebP, GIF, AVIF or TIFF image');
  }
}

/** The same promise, marked handled now: it is awaited later, and a rejection in between must not count as unhandled. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
