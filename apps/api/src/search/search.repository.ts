import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Person, Video, VideoState } from '@heimdex/db';
import { toSql } from 'pgvector';
import type { SceneRef } from './rank-fusion';

/** What every list is restricted to, inside its SQL: the owner, indexed videos, and the request's filters. */
export interface SearchScope {
  userId: string;
  /** Only videos indexed by then take part (a cursor's snapshot). */
  indexedBy: Date;
  videoId?: string;
  personId?: string;
  /** Scenes carrying every one of these tags. */
  tags?: string[];
  /** Scenes where every one of these COCO objects was detected. */
  objects?: string[];
  /** Leave out scenes rated questionable or explicit. */
  safe?: boolean;
  /** Video created time, inclusive. */
  from?: Date;
  to?: Date;
}

/** ts_rank weight classes of the scene document: transcript A, on-screen text B, tags C, title/description D. */
export type LexicalField = 'transcript' | 'ocr' | 'tag' | 'title';
const WEIGHT_LABEL: Record<LexicalField, string> = { transcript: 'a', ocr: 'b', tag: 'c', title: 'd' };
/** ts_rank's weights are given as {D, C, B, A}. */
const ONLY: Record<LexicalField, string> = { transcript: '{0,0,0,1}', ocr: '{0,0,1,0}', tag: '{0,1,0,0}', title: '{1,0,0,0}' };

export interface LexicalQuery {
  text: string;
  /** Text search configurations to parse the query with: `simple` plus the languages of the caller's videos. */
  configs: string[];
  /** At most this many matching scenes are ranked (bounds the cost of very common words in huge libraries). */
  maxMatches: number;
  /** Null: every field. */
  fields: LexicalField[] | null;
  /** Words for pg_trgm typo tolerance. */
  fuzzyTerms: string[];
  fuzzyBelow: number;
  fuzzyMinSimilarity: number;
  limit: number;
}

export interface LexicalRow extends SceneRef {
  rank: number;
  /** Per field: ts_rank over that field's words (full text), or the best word similarity (typo tolerance). */
  fields: Record<LexicalField, number>;
  fuzzy: boolean;
  /** Found by a word that sounds like a query word in a speech-recognised transcript. */
  phonetic: boolean;
}

export interface VectorRow extends SceneRef {
  similarity: number;
  hasTranscript: boolean;
  hasOcr: boolean;
}

export interface ScoredRow extends SceneRef {
  score: number;
}

export interface PageRow {
  sceneId: string;
  videoId: string;
  startS: number;
  endS: number;
  thumbnailKey: string | null;
  /** HTML-escaped text with <mark> around the words that matched, per field; null where nothing matched. */
  transcriptHighlight: string | null;
  ocrHighlight: string | null;
  tagHighlight: string | null;
  titleHighlight: string | null;
  transcript: string;
  ocrText: string;
  /** Time of the first transcript word that matched the query. */
  matchStartS: number | null;
}

type Row = Record<string, unknown>;

/**
 * The scenes search serves: those of indexed videos, and while a video re-runs (or after its
 * re-run failed) the committed copies of its last indexed version instead; never a deleted video's.
 */
const SERVED = `(case when s.copy_of is null then v.state = 'indexed' else v.state <> 'deleted' end)`;

/**
 * The SQL of search. Each list is one statement that carries the owner, the `indexed` state, the
 * snapshot and the filters, so nothing is filtered after the fact. Vector lists carry pgvector's
 * search width and iterative scan for that statement alone.
 */
@Injectable()
export class SearchRepository {
  constructor(private readonly em: EntityManager) {}

  async ownsVideo(userId: string, videoId: string): Promise<boolean> {
    return (await this.em.count(Video, { id: videoId, userId, state: { $ne: VideoState.Deleted } })) > 0;
  }

  async ownsPerson(userId: string, personId: string): Promise<boolean> {
    return (await this.em.count(Person, { id: personId, userId })) > 0;
  }

  /**
   * The text search configurations of the caller's languages (besides `simple`): those of the
   * videos search serves and of their scenes, each stemmed in its own language (mixed-language videos).
   */
  async textSearchConfigs(userId: string): Promise<string[]> {
    const rows: Row[] = await this.em.execute(
      `select distinct heimdex_text_search_config(l)::text as cfg from (
         select language as l from videos where user_id = ? and state <> 'deleted' and indexed_at is not null and language is not null
         union
         select distinct s.language from scenes s join videos v on v.id = s.video_id
          where s.user_id = ? and s.language is not null and v.state <> 'deleted'
       ) languages`,
      [userId, userId],
    );
    return rows.map((r) => String(r.cfg)).filter((c) => c !== 'simple');
  }

  /**
   * Full-text hits ranked by ts_rank over the whole scene document (websearch syntax: quotes,
   * OR, -exclusion); the ranking reads at most `maxMatches` of the caller's matching scenes. A
   * scene that matched only through its video's title or description stands for its video once
   * (the earliest such scene in the list), so a title does not flood the list with every scene of
   * that video. When full text finds fewer than `fuzzyBelow` scenes, pg_trgm word similarity adds
   * scenes with a near spelling of every query word, after the full-text ones. That is a second
   * statement, sent only then: planning it costs several milliseconds (pg_trgm estimates each word
   * against the column's statistics), which searches that full text answers should not pay.
   * Then, also only then, speech-recognised transcripts holding a word that sounds like every
   * query word (recognition errors: "nite" for "night"), after the near spellings.
   */
  async lexical(scope: SearchScope, q: LexicalQuery): Promise<LexicalRow[]> {
    const found = await this.fullText(scope, q);
    const tolerateTypos = q.fuzzyTerms.length > 0 && found.length < q.fuzzyBelow;
    const near = tolerateTypos ? await this.nearSpellings(scope, q, found) : [];
    const hearsTranscripts = tolerateTypos && (!q.fields || q.fields.includes('transcript'));
    const heard = hearsTranscripts ? await this.soundAlikes(scope, q, [...found, ...near]) : [];
    return standForTheirVideo([...found, ...near, ...heard]);
  }

  private async fullText(scope: SearchScope, q: LexicalQuery): Promise<LexicalRow[]> {
    const where = scopeWhere(scope);
    const fieldFilter = q.fields ? `and ts_filter(s.search_vector, '{${q.fields.map((f) => WEIGHT_LABEL[f]).join(',')}}') @@ (select query from q)` : '';
    const rows: Row[] = await this.em.execute(
      `with q as (
         select coalesce(string_agg('(' || t::text || ')', ' | '), '')::tsquery as query
           from (select websearch_to_tsquery(c::regconfig, ?) as t from jsonb_array_elements_text(?::jsonb) c) parsed
          where numnode(t) > 0
       ),
       terms as (
         select coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery as any_term
           from (select distinct unnest(tsvector_to_array(to_tsvector(c::regconfig, ?))) as lexeme from jsonb_array_elements_text(?::jsonb) c) l
          where lexeme <> 'or'
       ),
       matched as (
         select s.id, s.video_id, s.start_s, v.created_at, s.search_vector
           from scenes s join videos v on v.id = s.video_id
          where ${where.sql}
            and s.search_vector @@ (select query from q)
            and querytree((select query from q)) <> 'T'
            ${fieldFilter}
          limit ?
       ),
       top as (
         select id, video_id, start_s, created_at, search_vector, ts_rank(search_vector, (select query from q)) as rank
           from matched
          order by rank desc, id
          limit ?
       )
       select id, video_id, start_s, created_at, rank,
              ts_rank('${ONLY.transcript}', search_vector, (select any_term from terms)) as transcript,
              ts_rank('${ONLY.ocr}', search_vector, (select any_term from terms)) as ocr,
              ts_rank('${ONLY.tag}', search_vector, (select any_term from terms)) as tag,
              ts_rank('${ONLY.title}', search_vector, (select any_term from terms)) as title
         from top
        order by rank desc, id`,
      [q.text, JSON.stringify(q.configs), q.text, JSON.stringify(q.configs), ...where.params, q.maxMatches, q.limit],
    );
    return rows.map((r) => lexicalRow(r, false));
  }

  /** Scenes holding a near spelling of every query word (BitmapAnd over the trigram index), other than the full-text hits. */
  private async nearSpellings(scope: SearchScope, q: LexicalQuery, found: LexicalRow[]): Promise<LexicalRow[]> {
    const where = scopeWhere(scope);
    const nearAll = q.fuzzyTerms.map(() => '? <% s.search_text').join(' and ');
    const rows = await this.withSettings(
      [['pg_trgm.word_similarity_threshold', String(q.fuzzyMinSimilarity)]],
      `select * from (
         select s.id, s.video_id, s.start_s, v.created_at, w.total as rank, w.transcript, w.ocr, w.tag, w.title,
                row_number() over (partition by s.video_id, greatest(w.transcript, w.ocr, w.tag) >= ? order by s.start_s, s.id) as nth,
                greatest(w.transcript, w.ocr, w.tag) >= ? as in_scene
           from scenes s join videos v on v.id = s.video_id
           cross join lateral (
             select avg(word_similarity(t, s.search_text)) as total,
                    max(word_similarity(t, s.transcript)) as transcript,
                    max(word_similarity(t, s.ocr_text)) as ocr,
                    max(word_similarity(t, array_to_string(s.tags, ' '))) as tag,
                    max(word_similarity(t, concat_ws(' ', v.title, v.description))) as title
               from jsonb_array_elements_text(?::jsonb) t
           ) w
          where ${where.sql}
            and ${nearAll}
            and s.id not in (select jsonb_array_elements_text(?::jsonb)::uuid)
       ) near
        -- Like full text: a near spelling of the title stands for its video once, and not at all when the title already matched.
        where in_scene or (nth = 1 and video_id not in (select jsonb_array_elements_text(?::jsonb)::uuid))
        order by rank desc, id
        limit ?`,
      [
        q.fuzzyMinSimilarity,
        q.fuzzyMinSimilarity,
        JSON.stringify(q.fuzzyTerms),
        ...where.params,
        ...q.fuzzyTerms,
        JSON.stringify(found.map((r) => r.sceneId)),
        JSON.stringify([...new Set(found.map((r) => r.videoId))]),
        q.limit,
      ],
    );
    return rows.map((r) => lexicalRow(r, true));
  }

  /**
   * Scenes whose speech-recognised transcript has, for every query word, a word with the same
   * Double Metaphone key (`phonetic_keys`, GIN over the owner and keys), other than the scenes
   * already found. A hit's transcript score is half what full text gives the words it heard, so it
   * stays below a scene that said the query's own words as often.
   */
  private async soundAlikes(scope: SearchScope, q: LexicalQuery, found: LexicalRow[]): Promise<LexicalRow[]> {
    const where = scopeWhere(scope);
    const soundsAll = q.fuzzyTerms.map(() => 's.phonetic_keys && heimdex_phonetic_keys(?)').join(' and ');
    const rows: Row[] = await this.em.execute(
      `select s.id, s.video_id, s.start_s, v.created_at, h.rank, h.rank as transcript, 0 as ocr, 0 as tag, 0 as title
         from scenes s join videos v on v.id = s.video_id
         cross join lateral (
           select 0.5 * ts_rank('${ONLY.transcript}', s.search_vector, coalesce(string_agg(quote_literal(w), ' | '), '')::tsquery) as rank
             from unnest(tsvector_to_array(to_tsvector('simple', s.transcript))) w
            where heimdex_phonetic_keys(w) && heimdex_phonetic_keys(?)
         ) h
        where ${where.sql}
          and ${soundsAll}
          and s.id not in (select jsonb_array_elements_text(?::jsonb)::uuid)
        order by rank desc, id
        limit ?`,
      [q.fuzzyTerms.join(' '), ...where.params, ...q.fuzzyTerms, JSON.stringify(found.map((r) => r.sceneId)), q.limit],
    );
    return rows.map((r) => lexicalRow(r, false, true));
  }

  /** Nearest scenes by cosine similarity of `column` to `vector`, among those embedded by `model` (one space). */
  async nearest(scope: SearchScope, column: 'text' | 'visual', vector: number[], model: string, limit: number, efSearch: number): Promise<VectorRow[]> {
    const where = scopeWhere(scope);
    const embedding = column === 'text' ? 's.text_embedding' : 's.visual_embedding';
    const modelColumn = column === 'text' ? 's.text_embedding_model' : 's.visual_embedding_model';
    const literal = toSql(vector) as string;
    const sql = `
      select s.id, s.video_id, s.start_s, v.created_at, 1 - (${embedding} <=> ?::vector) as similarity,
             s.transcript <> '' as has_transcript, s.ocr_text <> '' as has_ocr
        from scenes s join videos v on v.id = s.video_id
       where ${where.sql} and ${modelColumn} = ?
       order by ${embedding} <=> ?::vector
       limit ?`;
    const rows = await this.withSettings(
      [
        ['hnsw.ef_search', String(Math.max(efSearch, limit))],
        // pgvector 0.8: keep walking the graph until `limit` rows pass the filters.
        ['hnsw.iterative_scan', 'relaxed_order'],
      ],
      sql,
      [literal, ...where.params, model, literal, limit],
    );
    // relaxed_order may return near-ties slightly out of order; the list is ordered here.
    return rows
      .map((r) => ({ ...sceneRef(r), similarity: Number(r.similarity), hasTranscript: r.has_transcript === true, hasOcr: r.has_ocr === true }))
      .sort((a, b) => b.similarity - a.similarity || (a.sceneId < b.sceneId ? -1 : 1));
  }

  /** Scenes showing a person of the caller's whose whole name appears in the query, best face confidence first. */
  async peopleNamedIn(scope: SearchScope, text: string, limit: number): Promise<ScoredRow[]> {
    const where = scopeWhere(scope);
    const rows: Row[] = await this.em.execute(
      `select s.id, s.video_id, s.start_s, v.created_at, max(coalesce(f.confidence, 0)) as score
         from people p
         join faces f on f.person_id = p.id and f.user_id = p.user_id
         -- The face's scene, or its committed copy (the face stays with the scene it was found in).
         cross join lateral (select f.scene_id as id union all select c.id from scenes c where c.copy_of = f.scene_id) fs
         join scenes s on s.id = fs.id
         join videos v on v.id = s.video_id
        where p.user_id = ? and ${where.sql}
          and numnode(plainto_tsquery('simple', p.name)) > 0
          and to_tsvector('simple', ?) @@ plainto_tsquery('simple', p.name)
        group by s.id, s.video_id, s.start_s, v.created_at
        order by score desc, s.id
        limit ?`,
      [scope.userId, ...where.params, text, limit],
    );
    return rows.map((r) => ({ ...sceneRef(r), score: Number(r.score) }));
  }

  /** Scenes where one of these COCO objects was detected, best detector confidence first. */
  async objectsSeen(scope: SearchScope, labels: string[], limit: number): Promise<ScoredRow[]> {
    const where = scopeWhere(scope);
    const rows: Row[] = await this.em.execute(
      `select s.id, s.video_id, s.start_s, v.created_at, max((o->>'confidence')::float) as score
         from scenes s join videos v on v.id = s.video_id
         cross join lateral jsonb_array_elements(s.objects) o
        where ${where.sql} and o->>'label' in (select jsonb_array_elements_text(?::jsonb))
        group by s.id, s.video_id, s.start_s, v.created_at
        order by score desc, s.id
        limit ?`,
      [...where.params, JSON.stringify(labels), limit],
    );
    return rows.map((r) => ({ ...sceneRef(r), score: Number(r.score) }));
  }

  /**
   * No query text, only filters (a person, tags, objects): the scenes that pass them, scored by how
   * sure the pipeline was (the person's best face confidence, else the filtered tags' or objects'
   * mean score).
   */
  async browse(scope: SearchScope, limit: number): Promise<ScoredRow[]> {
    const where = scopeWhere(scope);
    const person = scope.personId
      ? `(select max(coalesce(f.confidence, 0)) from faces f where f.scene_id = coalesce(s.copy_of, s.id) and f.person_id = ? and f.user_id = ?)`
      : 'null';
    const tags = scope.tags?.length
      ? `(select avg((t->>'score')::float) from jsonb_array_elements(s.tag_scores) t where t->>'tag' in (select jsonb_array_elements_text(?::jsonb)))`
      : 'null';
    const objects = scope.objects?.length
      ? `(select avg((o->>'confidence')::float) from jsonb_array_elements(s.objects) o where o->>'label' in (select jsonb_array_elements_text(?::jsonb)))`
      : 'null';
    const params: unknown[] = [];
    if (scope.personId) params.push(scope.personId, scope.userId);
    if (scope.tags?.length) params.push(JSON.stringify(scope.tags));
    if (scope.objects?.length) params.push(JSON.stringify(scope.objects));
    const rows: Row[] = await this.em.execute(
      `select s.id, s.video_id, s.start_s, v.created_at, coalesce(${person}, ${tags}, ${objects}, 0) as score
         from scenes s join videos v on v.id = s.video_id
        where ${where.sql}
        order by score desc, v.created_at desc, s.start_s, s.id
        limit ?`,
      [...params, ...where.params, limit],
    );
    return rows.map((r) => ({ ...sceneRef(r), score: Number(r.score) }));
  }

  /**
   * The page's scenes, still owned and indexed, with highlights for the query's words and the
   * time the query is said: the first matching transcript word of the query-long stretch of words
   * where most different query words occur (the earliest such stretch), so a phrase points at
   * where it is said rather than at a lone common word before it. Text is HTML-escaped before
   * ts_headline marks it.
   */
  async page(userId: string, sceneIds: string[], text: string | null, configs: string[]): Promise<PageRow[]> {
    if (!sceneIds.length) return [];
    const escaped = (col: string) => `replace(replace(replace(${col}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
    const headline = (col: string, field: LexicalField) =>
      `case when ts_rank('${ONLY[field]}', s.search_vector, t.any_term) > 0
            then ts_headline('simple', ${escaped(col)}, t.any_term, 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, ShortWord=1, MaxFragments=2, FragmentDelimiter=" … "') end`;
    const rows: Row[] = await this.em.execute(
      `with terms as (
         select coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery as any_term,
                coalesce(array_agg(lexeme), '{}') as lexemes,
                greatest(1, length(to_tsvector('simple', coalesce(?, '')))) as width
           from (select distinct unnest(tsvector_to_array(to_tsvector(c::regconfig, coalesce(?, '')))) as lexeme
                   from jsonb_array_elements_text(?::jsonb) c) l
          where lexeme <> 'or'
       )
       select s.id, s.video_id, s.start_s, s.end_s, s.thumbnail_key, s.transcript, s.ocr_text,
              ${headline('s.transcript', 'transcript')} as transcript_highlight,
              ${headline('s.ocr_text', 'ocr')} as ocr_highlight,
              ${headline("array_to_string(s.tags, ', ')", 'tag')} as tag_highlight,
              ${headline("concat_ws(' — ', v.title, v.description)", 'title')} as title_highlight,
              (with hits as (
                 select x.i, (x.w->>'startS')::float as start_s, to_tsvector('simple', x.w->>'word') as word
                   from jsonb_array_elements(s.words) with ordinality x(w, i)
                  where tsvector_to_array(to_tsvector('simple', x.w->>'word') || to_tsvector(l.cfg, x.w->>'word')) && t.lexemes)
               select h.start_s from hits h
                order by (select count(distinct o.word) from hits o where o.i between h.i and h.i + t.width - 1) desc, h.i
                limit 1) as match_start_s
         from scenes s join videos v on v.id = s.video_id cross join terms t
         cross join lateral (select heimdex_text_search_config(coalesce(s.language, v.language)) as cfg) l
        where s.user_id = ? and v.user_id = ? and ${SERVED}
          and s.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [text, text, JSON.stringify(['simple', ...configs]), userId, userId, JSON.stringify(sceneIds)],
    );
    return rows.map((r) => ({
      sceneId: String(r.id),
      videoId: String(r.video_id),
      startS: Number(r.start_s),
      endS: Number(r.end_s),
      thumbnailKey: (r.thumbnail_key as string | null) ?? null,
      transcript: String(r.transcript),
      ocrText: String(r.ocr_text),
      transcriptHighlight: (r.transcript_highlight as string | null) ?? null,
      ocrHighlight: (r.ocr_highlight as string | null) ?? null,
      tagHighlight: (r.tag_highlight as string | null) ?? null,
      titleHighlight: (r.title_highlight as string | null) ?? null,
      matchStartS: r.match_start_s === null || r.match_start_s === undefined ? null : Number(r.match_start_s),
    }));
  }

  /**
   * Runs `sql` with settings (pgvector, pg_trgm) that last for it alone, in one round trip: both
   * statements go as one simple-protocol message, which Postgres runs as one implicit transaction,
   * so `set_config(..., true)` holds for the query and ends with it. Parameters are inlined the way
   * every MikroORM query is (`formatQuery`), which the simple protocol needs.
   */
  private async withSettings(settings: [string, string][], sql: string, params: unknown[]): Promise<Row[]> {
    const platform = this.em.getPlatform();
    const set = settings.map(([name, value]) => `set_config(${platform.quoteValue(name)}, ${platform.quoteValue(value)}, true)`).join(', ');
    const results = (await this.em.getKnex().raw(`select ${set};\n${platform.formatQuery(sql, params)}`)) as { rows: Row[] }[];
    return results[results.length - 1].rows;
  }
}

interface Fragment {
  sql: string;
  params: unknown[];
}

function scopeWhere(scope: SearchScope): Fragment {
  const sql = [`s.user_id = ? and v.user_id = ? and ${SERVED} and v.indexed_at <= ?::timestamptz`];
  const params: unknown[] = [scope.userId, scope.userId, scope.indexedBy.toISOString()];
  if (scope.videoId) {
    sql.push('s.video_id = ?');
    params.push(scope.videoId);
  }
  if (scope.personId) {
    const faces = 'select f.scene_id from faces f where f.user_id = ? and f.person_id = ?';
    sql.push(`s.id in (${faces} union all select c.id from scenes c where c.copy_of in (${faces}))`);
    params.push(scope.userId, scope.personId, scope.userId, scope.personId);
  }
  if (scope.tags?.length) {
    sql.push('s.tags @> array(select jsonb_array_elements_text(?::jsonb))');
    params.push(JSON.stringify(scope.tags));
  }
  if (scope.objects?.length) {
    sql.push('s.objects @> ?::jsonb');
    params.push(JSON.stringify(scope.objects.map((label) => ({ label }))));
  }
  if (scope.safe) sql.push(`(s.content_rating is null or s.content_rating = 'safe')`);
  if (scope.from) {
    sql.push('v.created_at >= ?::timestamptz');
    params.push(scope.from.toISOString());
  }
  if (scope.to) {
    sql.push('v.created_at <= ?::timestamptz');
    params.push(scope.to.toISOString());
  }
  return { sql: sql.join(' and '), params };
}

/** Drops all but the earliest title-only hit of each video (rows whose scene fields did not match, only the video's title or description). */
function standForTheirVideo(rows: LexicalRow[]): LexicalRow[] {
  const titleOnly = (r: LexicalRow) => !r.fuzzy && !r.phonetic && r.fields.transcript + r.fields.ocr + r.fields.tag === 0;
  const first = new Map<string, LexicalRow>();
  for (const r of rows) {
    const seen = first.get(r.videoId);
    if (titleOnly(r) && (!seen || r.startS < seen.startS)) first.set(r.videoId, r);
  }
  return rows.filter((r) => !titleOnly(r) || first.get(r.videoId) === r);
}

function lexicalRow(r: Row, fuzzy: boolean, phonetic = false): LexicalRow {
  return {
    ...sceneRef(r),
    rank: Number(r.rank),
    fields: { transcript: Number(r.transcript), ocr: Number(r.ocr), tag: Number(r.tag), title: Number(r.title) },
    fuzzy,
    phonetic,
  };
}

function sceneRef(r: Row): SceneRef {
  return { sceneId: String(r.id), videoId: String(r.video_id), startS: Number(r.start_s), videoCreatedAt: new Date(r.created_at as string) };
}
