/**
 * `npm run bench:search [-- --sizes 100000,1000000 --seconds 10 --keep --reuse --skip-recall --ef-search 200,400 --vectors hierarchical|structured|isotropic]`
 * Seeds synthetic scenes into a database of its own on native Postgres with pgvector
 * (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/postgres; database
 * heimdex_bench_search, dropped at the end unless --keep or --reuse), then reports side by side for each size:
 * SQL-only (the search repository's statements, no HTTP) and HTTP (GET /v1/search) latency
 * p50/p95/p99 and throughput for lexical, vector and fused searches at concurrency 1 and 16, and
 * HNSW recall@10 against exact search for several ef_search values. `--ef-search 200,400` measures
 * the vector and fused rows at each value, side by side (default: SEARCH_HNSW_EF_SEARCH's default).
 *
 * Data, generated inside Postgres (generate_series; far faster than shipping rows): 50 scenes per
 * video, half the scenes owned by the benchmark user and the rest by nine others; transcripts of
 * 25 words and some on-screen text drawn from a 2,000-word vocabulary with a Zipf-like skew;
 * English for half the videos; unit vectors of the real widths (384 text, 512 visual) made as a
 * topic centre (256) plus a subtopic offset (64 per topic) plus two noise terms, because real
 * embeddings cluster by topic and sub-topic. `--vectors`:
 * - `hierarchical` (the default): the 256 topics fall into 16 domains (a topic's centre is its
 *   domain's direction plus one of its own), as subjects in a real library are related by degrees;
 *   the noise lies in a 32-dimensional subspace;
 * - `structured`: the same, but the 256 topic centres are unrelated (mutually near-orthogonal), so
 *   every topic is equally far from every other and a graph index has no gradient to follow between them;
 * - `isotropic`: unrelated topics and noise in every dimension, where a query's neighbours are
 *   nearly equidistant: the hard case for any nearest-neighbour index.
 * The recall section prints how far apart the exact neighbours are and how many queries missed
 * their neighbourhood entirely, so the shapes can be compared.
 *
 * Before measuring, the tables and indexes are read once into the OS cache (pg_prewarm), and the
 * header of the latency table names Postgres' shared_buffers: they decide where a search's pages
 * come from (Postgres' buffers, the OS cache or the disk), which otherwise varies from run to run
 * more than a code change does.
 *
 * The HTTP rows run the real API with the test ONNX models in MODEL_DIR (the real weights cannot
 * be fetched here); query embeddings come from its cache after the first round, so the rows
 * measure search, not the model. The load generator runs in its own process.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { envSchema, loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import type { INestApplication } from '@nestjs/common';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { fromSql } from 'pgvector';
import { createApiApp } from '../apps/api/src/create-api-app';
import { fuzzyTerms } from '../apps/api/src/search/query-terms';
import { SearchRepository, SearchScope } from '../apps/api/src/search/search.repository';
import { writeTestClipModel, writeTestTextModel } from './lib/onnx-models';
import { mintDevToken } from './dev-token';

const DB_NAME = 'heimdex_bench_search';
const USER = '00000000-0000-4000-8000-00000000b0b0';
const SCENES_PER_VIDEO = 50;
const VOCABULARY = 2000;
const TEXT_MODEL = 'test-minilm@1';
const CLIP_MODEL = 'test-clip@1';
const QUERIES = 200;
const CANDIDATES = 100;
/** hnsw.ef_search values of the vector and fused latency rows: --ef-search, else SEARCH_HNSW_EF_SEARCH's default. */
let efSearches: number[] = [];
const RECALL_QUERIES = 200;
const RECALL_EF_SEARCHES = [100, 200, 400, 1000];
const MAX_MATCHES = 2000;
/** Vector structure: topic centre + subtopic offset (specific to its topic) + two small shared noise terms. */
const TOPICS = 256;
/** Hierarchical vectors: topics grouped in domains. */
const DOMAINS = 16;
const SUBTOPICS = 64;
const NOISE = 4096;
/** Dimensions of the structured noise's subspace (real sentence and image embeddings have a low intrinsic dimension). */
const LATENT = 32;
const SEARCH_INDEXES = [
  { name: 'scenes_search_vector_gin', label: 'GIN full-text index' },
  { name: 'scenes_search_text_trgm', label: 'GIN trigram index' },
  { name: 'scenes_text_embedding_hnsw', label: 'HNSW text (384-d) index' },
  { name: 'scenes_visual_embedding_hnsw', label: 'HNSW visual (512-d) index' },
];
type VectorShape = 'hierarchical' | 'structured' | 'isotropic';
const VECTOR_SHAPES: VectorShape[] = ['hierarchical', 'structured', 'isotropic'];

/** A random unit vector of `dims` dimensions, drawn afresh for each row (`row` ties the subquery to it). */
function randomUnitSql(dims: number, row: string): string {
  return `l2_normalize(array(select random() - 0.5 from generate_series(1, ${dims}) where ${row} >= 0)::vector)`;
}

/** The 256 topic centres: unrelated unit vectors, or (hierarchical) each its domain's direction plus one of its own. */
function centroidSql(shape: VectorShape): string {
  const unit = randomUnitSql;
  if (shape !== 'hierarchical') {
    return `create table bench_centroid as select k, ${unit(384, 'k')} as t, ${unit(512, 'k')} as v from generate_series(0, ${TOPICS - 1}) k;`;
  }
  // Topic k belongs to domain k % DOMAINS; two topics of one domain have a cosine of about 0.5, of different domains about 0.
  return `create table bench_domain as select d, ${unit(384, 'd')} as t, ${unit(512, 'd')} as v from generate_series(0, ${DOMAINS - 1}) d;
          create table bench_centroid as select k, l2_normalize(d.t + ${unit(384, 'k')}) as t, l2_normalize(d.v + ${unit(512, 'k')}) as v
                                           from generate_series(0, ${TOPICS - 1}) k join bench_domain d on d.d = k % ${DOMAINS};`;
}

/**
 * The noise pool. Structured: each noise vector lies in a 32-dimensional subspace (Gaussian
 * coefficients over fixed random directions), like real embeddings, whose variation within a
 * topic has few degrees of freedom. Isotropic: uniform noise in every dimension, the hard case for
 * any nearest-neighbour index, since a query's neighbours all sit at almost the same distance.
 * Both have the same norm (about 0.25 per term).
 */
function noiseSql(shape: VectorShape): string {
  if (shape === 'isotropic') {
    return `create table bench_noise as select n, array(select (random() - 0.5) * 0.044 from generate_series(1, 384) where n >= 0)::vector as t,
                                         array(select (random() - 0.5) * 0.038 from generate_series(1, 512) where n >= 0)::vector as v
                                    from generate_series(0, ${NOISE - 1}) n;`;
  }
  const gaussian = `(0.044 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::real`;
  return `create table bench_direction as select d, ${randomUnitSql(384, 'd')} as t, ${randomUnitSql(512, 'd')} as v from generate_series(0, ${LATENT - 1}) d;
          create table bench_noise as select n, sum(d.t * array_fill(${gaussian}, array[384])::vector) as t,
                                                sum(d.v * array_fill(${gaussian}, array[512])::vector) as v
                                           from generate_series(0, ${NOISE - 1}) n cross join bench_direction d group by n;`;
}

interface LatencyRow {
  size: number;
  layer: 'sql' | 'http';
  kind: string;
  /** hnsw.ef_search of a row whose searches use the vector indexes. */
  efSearch: number | null;
  concurrency: number;
  count: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      seconds: { type: 'string', default: '10' },
      keep: { type: 'boolean', default: false },
      // Measure again on the database a --keep run left (same size), without seeding and indexing anew; it is kept again.
      reuse: { type: 'boolean', default: false },
      'skip-recall': { type: 'boolean', default: false },
      'ef-search': { type: 'string' },
      vectors: { type: 'string', default: 'hierarchical' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const seconds = Number(values.seconds);
  efSearches = values['ef-search'] ? values['ef-search'].split(',').map(Number) : [envSchema.shape.SEARCH_HNSW_EF_SEARCH.parse(undefined)];
  if (efSearches.some((ef) => !Number.isInteger(ef) || ef < 10 || ef > 1000))
    throw new Error('--ef-search takes whole numbers from 10 to 1000, comma-separated');
  const vectors = VECTOR_SHAPES.find((v) => v === values.vectors);
  if (!vectors) throw new Error(`--vectors is one of ${VECTOR_SHAPES.join(', ')}`);
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${DB_NAME}`;
  const sharedBuffers = await serverSetting(adminUrl, 'shared_buffers');
  const latency: LatencyRow[] = [];
  const recall: string[] = [];
  const setup: string[] = [];

  for (const size of sizes) {
    const reuse = values.reuse && (await keptSize(adminUrl, dbUrl.toString())) === size;
    if (!reuse) {
      await admin(adminUrl, `drop database if exists ${DB_NAME} with (force)`);
      await admin(adminUrl, `create database ${DB_NAME}`);
    }
    try {
      setup.push(...(reuse ? [`${size} scenes: reused the database of a --keep run`] : await seed(dbUrl.toString(), size, vectors)));
      setup.push(await warmCache(dbUrl.toString(), size));
      if (!values['skip-recall']) recall.push(...(await measureRecall(dbUrl.toString(), size)));
      latency.push(...(await measureLatency(dbUrl.toString(), size, seconds)));
    } finally {
      const keep = (values.keep || values.reuse) && size === sizes[sizes.length - 1];
      if (!keep) await admin(adminUrl, `drop database if exists ${DB_NAME} with (force)`);
    }
  }

  console.log('\nsetup');
  for (const line of setup) console.log(`  ${line}`);
  console.log(
    `\nHNSW recall@10 against exact search (benchmark user, 50% of scenes; mean over ${RECALL_QUERIES} queries; top 10 of the ${CANDIDATES}-candidate list the API fetches)`,
  );
  for (const line of recall) console.log(`  ${line}`);
  console.log(
    `\nlatency (ms) and throughput (2 shared cores; 1-minute load average at the end: ${loadavg()[0].toFixed(1)}; Postgres shared_buffers ${sharedBuffers}); ${seconds} s per row; ${QUERIES} distinct queries; candidates ${CANDIDATES} per signal, at most ${MAX_MATCHES} full-text matches ranked`,
  );
  console.log('scenes     layer kind     ef_search conc  requests    req/s   p50     p95     p99   errors');
  for (const r of latency) {
    console.log(
      `${String(r.size).padEnd(10)} ${r.layer.padEnd(5)} ${r.kind.padEnd(8)} ${String(r.efSearch ?? '-').padStart(9)} ${String(r.concurrency).padStart(4)} ${String(r.count).padStart(9)} ${r.rps.toFixed(1).padStart(8)} ${r.p50.toFixed(1).padStart(6)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.errors).padStart(6)}`,
    );
  }
  process.exit(0);
}

async function keptSize(adminUrl: string, url: string): Promise<number | null> {
  const exists = await withClient(adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount);
  if (!exists) return null;
  return withClient(url, async (db) => Number((await db.query('select count(*) as n from scenes')).rows[0].n));
}

/**
 * Reads the scenes and videos tables, the scenes' TOAST (where the vectors live) and every index
 * of theirs once, with pg_prewarm's 'read' mode (into the operating system's cache, not Postgres'
 * own), so that no row measures a disk gone cold since the data was written: a server that has
 * been answering searches has them cached.
 */
async function warmCache(url: string, size: number): Promise<string> {
  try {
    return await withClient(url, (c) => prewarm(c, size));
  } catch (err) {
    return `${size} scenes: not warmed (${err instanceof Error ? err.message : String(err)}); the first rows may read from disk`;
  }
}

async function prewarm(c: Client, size: number): Promise<string> {
  await c.query('create extension if not exists pg_prewarm');
  const started = Date.now();
  const { rows } = await c.query(`
    with tables as (select oid from pg_class where relname in ('scenes', 'videos')
                    union select reltoastrelid from pg_class where relname = 'scenes'),
         relations as (select oid from tables union select indexrelid from pg_index where indrelid in (select oid from tables))
    select sum(pg_prewarm(oid, 'read'))::bigint * current_setting('block_size')::bigint as bytes from relations`);
  const gib = Number((rows[0] as { bytes: string }).bytes) / 2 ** 30;
  return `${size} scenes: read ${gib.toFixed(1)} GiB of tables and indexes into the OS cache (pg_prewarm) in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/** A server setting as Postgres shows it (`128MB`): the memory settings decide how much of the indexes stays in Postgres' own cache. */
async function serverSetting(url: string, name: string): Promise<string> {
  return withClient(url, async (c) => String((await c.query('select current_setting($1) as value', [name])).rows[0].value));
}

async function admin(url: string, sql: string): Promise<void> {
  await withClient(url, (c) => c.query(sql));
}

async function withClient<T>(url: string, use: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await use(c);
  } finally {
    await c.end();
  }
}

/** Schema through the real migrations, rows generated in SQL, then the search indexes built once over the full table. */
async function seed(url: string, size: number, vectors: VectorShape): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions(url, 2));
  await migrateToLatest(orm);
  await orm.close();
  const c = new Client({ connectionString: url });
  await c.connect();
  const lines: string[] = [];
  const step = async (label: string, sql: string) => {
    const t0 = Date.now();
    await c.query(sql);
    const s = (Date.now() - t0) / 1000;
    lines.push(`${size} scenes: ${label} ${s.toFixed(1)} s`);
    console.log(lines[lines.length - 1]);
  };
  try {
    await c.query(`set maintenance_work_mem = '4GB'; set max_parallel_maintenance_workers = 2; set work_mem = '256MB'`);
    // Built once over the full table below, from the definitions the migrations made: far faster than growing them row by row.
    const definitions = new Map(
      (
        (await c.query(`select indexname, indexdef from pg_indexes where tablename = 'scenes' and indexname = any($1)`, [SEARCH_INDEXES.map((i) => i.name)]))
          .rows as {
          indexname: string;
          indexdef: string;
        }[]
      ).map((r) => [r.indexname, r.indexdef]),
    );
    await c.query(`drop index ${SEARCH_INDEXES.map((i) => i.name).join(', ')}`);
    await c.query(`
      create table bench_vocab as select array_agg(translate(substr(md5(i::text), 1, 4 + i % 5), '0123456789', 'ghijklmnop') order by i) as words from generate_series(0, ${VOCABULARY - 1}) i;
      ${centroidSql(vectors)}
      create table bench_sub as select j, array(select (random() - 0.5) * 0.106 from generate_series(1, 384) where j >= 0)::vector as t,
                                          array(select (random() - 0.5) * 0.092 from generate_series(1, 512) where j >= 0)::vector as v
                                     from generate_series(0, ${TOPICS * SUBTOPICS - 1}) j;
      ${noiseSql(vectors)}`);
    const videos = Math.ceil(size / SCENES_PER_VIDEO);
    await step(
      `${videos} videos`,
      `insert into videos (id, user_id, state, title, description, filename, content_type, size_bytes, storage_key, language, created_at, indexed_at)
       select md5('v' || g)::uuid,
              case when g % 2 = 0 then '${USER}'::uuid else md5('u' || (g % 9))::uuid end,
              'indexed', 'video ' || translate(substr(md5(((g * 7) % ${VOCABULARY})::text), 1, 4 + ((g * 7) % ${VOCABULARY}) % 5), '0123456789', 'ghijklmnop'), null, 'v.mp4', 'video/mp4', 1, 'bench/' || g,
              case when g % 2 = 0 then 'en' end, now() - make_interval(mins => g), now()
         from generate_series(0, ${videos - 1}) g`,
    );
    // Word x of the vocabulary, spelled inline (indexing the vocabulary array would copy it per word).
    const words = (n: number) =>
      `array_to_string(array(select translate(substr(md5(x::text), 1, 4 + x % 5), '0123456789', 'ghijklmnop')
                               from (select floor(${VOCABULARY} * power(random(), 3))::int as x from generate_series(1, ${n}) k where k > g * 0) r), ' ')`;
    await step(
      'scenes (text, vectors; the search trigger runs per row)',
      `insert into scenes (id, video_id, user_id, index, start_s, end_s, transcript, words, ocr_text, tags, text_embedding, text_embedding_model, visual_embedding, visual_embedding_model)
       select md5('s' || g)::uuid, md5('v' || (g / ${SCENES_PER_VIDEO}))::uuid,
              case when (g / ${SCENES_PER_VIDEO}) % 2 = 0 then '${USER}'::uuid else md5('u' || ((g / ${SCENES_PER_VIDEO}) % 9))::uuid end,
              g % ${SCENES_PER_VIDEO}, (g % ${SCENES_PER_VIDEO}) * 6, (g % ${SCENES_PER_VIDEO}) * 6 + 6,
              ${words(25)}, '[]',
              case when g % 10 < 3 then upper(${words(3)}) else '' end,
              array[(array['happy','sad','tense','calm','energetic','romantic','scary','funny','dark','bright'])[1 + g % 10]],
              l2_normalize(c.t + u.t + n1.t + n2.t), '${TEXT_MODEL}', l2_normalize(c.v + u.v + n1.v + n2.v), '${CLIP_MODEL}'
         from generate_series(0, ${size - 1}) g
         join bench_centroid c on c.k = (g * 2654435761::bigint) % ${TOPICS}
         join bench_sub u on u.j = ((g * 2654435761::bigint) % ${TOPICS}) * ${SUBTOPICS} + (g * 40503::bigint / 7) % ${SUBTOPICS}
         join bench_noise n1 on n1.n = g % ${NOISE}
         join bench_noise n2 on n2.n = (g / ${NOISE} + g * 7) % ${NOISE}`,
    );
    await step('vacuum analyze scenes', 'vacuum analyze scenes');
    await step('vacuum analyze videos', 'vacuum analyze videos');
    for (const index of SEARCH_INDEXES) await step(index.label, definitions.get(index.name)!);
    await c.query('analyze scenes');
    const [{ bytes }] = (await c.query(`select pg_size_pretty(pg_database_size(current_database())) as bytes`)).rows as { bytes: string }[];
    lines.push(`${size} scenes: database size ${bytes}`);
  } finally {
    await c.end();
  }
  return lines;
}

/** Query vectors from the data's own distribution: a topic, a subtopic and fresh noise (not any stored row). */
async function queryVectors(c: Client, column: 't' | 'v', count: number, seed: number): Promise<number[][]> {
  await c.query(`select setseed(${seed})`);
  // The picks are drawn first: random() inside a join condition would be drawn per row pair.
  const rows = (
    await c.query(`
      select l2_normalize(c.${column} + u.${column} + n1.${column} + n2.${column})::text as q
        from (select i, floor(random() * ${TOPICS})::int as k, floor(random() * ${SUBTOPICS})::int as s,
                     floor(random() * ${NOISE})::int as a, floor(random() * ${NOISE})::int as b
                from generate_series(1, ${count}) i) pick
        join bench_centroid c on c.k = pick.k
        join bench_sub u on u.j = pick.k * ${SUBTOPICS} + pick.s
        join bench_noise n1 on n1.n = pick.a
        join bench_noise n2 on n2.n = pick.b
       order by pick.i`)
  ).rows as { q: string }[];
  return rows.map((r) => fromSql(r.q) as number[]);
}

function lexicalQueries(words: string[]): string[] {
  // Half one rarer word, half two commoner words (AND): a spread of match counts.
  return Array.from({ length: QUERIES }, (_, i) =>
    i % 2 ? `${words[200 + ((i * 37) % 1300)]}` : `${words[20 + ((i * 13) % 280)]} ${words[20 + ((i * 29) % 280)]}`,
  );
}

async function measureRecall(url: string, size: number): Promise<string[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const lines: string[] = [];
  try {
    for (const [column, name] of [
      ['t', 'text_embedding'],
      ['v', 'visual_embedding'],
    ] as const) {
      const queries = await queryVectors(c, column, RECALL_QUERIES, 0.42);
      const exact: { ids: string[]; tenth: number }[] = [];
      await c.query('begin');
      await c.query('set local enable_indexscan = off; set local enable_bitmapscan = off');
      const contrast = { tenthToFirst: 0, hundredthToTenth: 0, tenthSimilarity: 1 };
      for (const q of queries) {
        const rows = (
          await c.query(`select id, ${name} <=> $2 as d from scenes where user_id = $1 order by ${name} <=> $2 limit 100`, [USER, JSON.stringify(q)])
        ).rows;
        const d = (rank: number) => Number(rows[Math.min(rank, rows.length) - 1].d);
        exact.push({ ids: rows.slice(0, 10).map((r) => r.id as string), tenth: d(10) });
        contrast.tenthToFirst += d(10) / d(1) / queries.length;
        contrast.hundredthToTenth += d(100) / d(10) / queries.length;
        contrast.tenthSimilarity = Math.min(contrast.tenthSimilarity, 1 - d(10));
      }
      await c.query('commit');
      // How far apart the true neighbours are: near 1.0, a query's neighbours are almost equidistant and hard to tell apart.
      lines.push(
        `${size} scenes, ${name.padEnd(16)} exact-neighbour distance ratios: 10th/1st ${contrast.tenthToFirst.toFixed(3)}, 100th/10th ${contrast.hundredthToTenth.toFixed(3)}; least similarity of a true 10th ${contrast.tenthSimilarity.toFixed(3)}`,
      );
      console.log(lines[lines.length - 1]);
      for (const ef of [...new Set([...RECALL_EF_SEARCHES, ...efSearches])].sort((a, b) => a - b)) {
        let hits = 0;
        let close = 0;
        // Queries whose list holds none of their true 10: the search ended in the wrong neighbourhood.
        let lost = 0;
        const t0 = Date.now();
        await c.query('begin');
        await c.query(`set local hnsw.ef_search = ${ef}; set local hnsw.iterative_scan = relaxed_order`);
        for (const [i, q] of queries.entries()) {
          // As the API asks: the candidate list (relaxed order), sorted by distance, then the top 10.
          const got = (
            await c.query(`select id, ${name} <=> $2 as d from scenes where user_id = $1 order by ${name} <=> $2 limit ${CANDIDATES}`, [
              USER,
              JSON.stringify(q),
            ])
          ).rows
            .sort((a, b) => a.d - b.d)
            .slice(0, 10);
          const found = got.filter((r) => exact[i].ids.includes(r.id as string)).length;
          hits += found;
          if (found === 0) lost++;
          // ann-benchmarks' measure: a result counts when it is as near as the true 10th (ε 1e-3), so exact ties do not count as misses.
          close += got.filter((r) => Number(r.d) <= exact[i].tenth + 1e-3).length;
        }
        await c.query('commit');
        lines.push(
          `${size} scenes, ${name.padEnd(16)} ef_search ${String(ef).padStart(4)}: recall@10 ${(hits / (10 * queries.length)).toFixed(3)} (by distance, ε 1e-3: ${(close / (10 * queries.length)).toFixed(3)}), ${lost} of ${queries.length} queries found none of their 10, ${((Date.now() - t0) / queries.length).toFixed(1)} ms/query`,
        );
        console.log(lines[lines.length - 1]);
      }
    }
  } finally {
    await c.end();
  }
  return lines;
}

async function measureLatency(url: string, size: number, seconds: number): Promise<LatencyRow[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const words = ((await c.query('select words from bench_vocab')).rows[0] as { words: string[] }).words;
  const textVectors = await queryVectors(c, 't', QUERIES, 0.7);
  const visualVectors = await queryVectors(c, 'v', QUERIES, 0.8);
  await c.end();
  const lexical = lexicalQueries(words);
  const rows: LatencyRow[] = [];

  // SQL only: the repository's statements on a pool, as the service issues them.
  const orm = await MikroORM.init(ormOptions(url, 16));
  const repo = new SearchRepository(orm.em.fork());
  const scope = (): SearchScope => ({ userId: USER, indexedBy: new Date() });
  // With the typo-tolerance settings the service passes, so the statements are the API's own.
  const fuzzyBelow = envSchema.shape.SEARCH_FUZZY_BELOW.parse(undefined);
  const fuzzyMinSimilarity = envSchema.shape.SEARCH_FUZZY_MIN_SIMILARITY.parse(undefined);
  const lexicalCall = (i: number) =>
    repo.lexical(scope(), {
      text: lexical[i],
      configs: ['simple', 'english'],
      maxMatches: MAX_MATCHES,
      fields: null,
      fuzzyTerms: fuzzyTerms(lexical[i]),
      fuzzyBelow,
      fuzzyMinSimilarity,
      limit: CANDIDATES,
    });
  // Each kind's rows at every --ef-search value in turn, so they are measured side by side under the same load.
  const sqlKinds: Record<string, { vectors: boolean; call: (ef: number) => (i: number) => Promise<unknown> }> = {
    lexical: { vectors: false, call: () => lexicalCall },
    vector: { vectors: true, call: (ef) => (i) => repo.nearest(scope(), 'text', textVectors[i], TEXT_MODEL, CANDIDATES, ef) },
    fused: {
      vectors: true,
      // As SearchService sends them: full text on one connection, the other lists in turn on a second.
      call: (ef) => async (i) => {
        const [lex] = await Promise.all([
          lexicalCall(i),
          (async () => {
            await repo.nearest(scope(), 'text', textVectors[i], TEXT_MODEL, CANDIDATES, ef);
            await repo.nearest(scope(), 'visual', visualVectors[i], CLIP_MODEL, CANDIDATES, ef);
            await repo.peopleNamedIn(scope(), lexical[i], CANDIDATES);
          })(),
        ]);
        await repo.page(
          USER,
          lex.slice(0, 20).map((r) => r.sceneId),
          lexical[i],
          ['english'],
        );
      },
    },
  };
  for (const [kind, { vectors, call }] of Object.entries(sqlKinds)) {
    for (const concurrency of [1, 16]) {
      for (const efSearch of vectors ? efSearches : [null]) {
        const r = await inProcessLoad(call(efSearch ?? 0), concurrency, seconds);
        rows.push({ size, layer: 'sql', kind, efSearch, concurrency, ...r });
        console.log(
          `${size} sql ${kind}${efSearch ? ` ef_search ${efSearch}` : ''} c${concurrency} (load average ${loadavg()[0].toFixed(1)}): p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s`,
        );
      }
    }
  }
  await orm.close();

  // HTTP: the real API; lexical on an instance without models, vector and fused on one with the test models per ef_search.
  const modelDir = mkdtempSync(join(tmpdir(), 'heimdex-bench-models-'));
  writeTestTextModel(modelDir);
  writeTestClipModel(modelDir);
  const withModels = new Map<number, Api>();
  for (const efSearch of efSearches) withModels.set(efSearch, await startApi(url, modelDir, efSearch));
  const withoutModels = await startApi(url, mkdtempSync(join(tmpdir(), 'heimdex-bench-nomodels-')), efSearches[0]);
  const q = (s: string) => encodeURIComponent(s);
  const httpKinds: Record<string, { targets: Map<number | null, Api>; paths: string[] }> = {
    lexical: { targets: new Map([[null, withoutModels]]), paths: lexical.map((t) => `/v1/search?q=${q(t)}&limit=20`) },
    vector: { targets: withModels, paths: lexical.map((t) => `/v1/search?q=${q(t)}&limit=20&modes=visual`) },
    fused: { targets: withModels, paths: lexical.map((t) => `/v1/search?q=${q(t)}&limit=20`) },
  };
  for (const [kind, { targets, paths }] of Object.entries(httpKinds)) {
    // One round first: loads the models and fills the query-embedding cache.
    for (const target of targets.values()) await httpLoad(target.base, target.token, paths, 4, 0, paths.length);
    for (const concurrency of [1, 16]) {
      for (const [efSearch, target] of targets) {
        const r = await httpLoad(target.base, target.token, paths, concurrency, seconds);
        rows.push({ size, layer: 'http', kind, efSearch, concurrency, ...r });
        console.log(
          `${size} http ${kind}${efSearch ? ` ef_search ${efSearch}` : ''} c${concurrency} (load average ${loadavg()[0].toFixed(1)}): p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s, errors ${r.errors}`,
        );
      }
    }
  }
  for (const api of [...withModels.values(), withoutModels]) await api.app.close();
  return rows;
}

interface Api {
  app: INestApplication;
  base: string;
  token: string;
}

async function startApi(databaseUrl: string, modelDir: string, efSearch: number): Promise<Api> {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-bench-search-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '16',
      MODEL_DIR: modelDir,
      LOG_LEVEL: 'silent',
      SUPABASE_JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      QUEUE_PREFIX: `heimdex-bench-${Date.now()}`,
      // The load is one user from one address, far past the per-minute limits meant for people.
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '0',
      SEARCH_CANDIDATES: String(CANDIDATES),
      SEARCH_HNSW_EF_SEARCH: String(efSearch),
      SEARCH_LEXICAL_MAX_MATCHES: String(MAX_MATCHES),
      // The test models' vectors are unrelated to the synthetic ones: no cutoff, so every list is full length.
      SEARCH_TEXT_MIN_SIMILARITY: '-1',
      SEARCH_VISUAL_MIN_SIMILARITY: '-1',
    },
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, base: `http://127.0.0.1:${port}`, token: await mintDevToken(config, { sub: USER, tier: 'enterprise' }) };
}

type LoadStats = Omit<LatencyRow, 'size' | 'layer' | 'kind' | 'efSearch' | 'concurrency'>;

async function inProcessLoad(call: (i: number) => Promise<unknown>, concurrency: number, seconds: number): Promise<LoadStats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++ % QUERIES;
        const s = performance.now();
        try {
          await call(i);
          latencies.push(performance.now() - s);
        } catch (err) {
          if (errors++ === 0) console.error(`first error: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  return stats(latencies, errors, (performance.now() - t0) / 1000);
}

/** Runs the HTTP load in a child process so the load generator does not share the API's event loop. */
function httpLoad(base: string, token: string, paths: string[], concurrency: number, seconds: number, maxRequests = Infinity): Promise<LoadStats> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--load-client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (msg) => resolve(msg as LoadStats));
    child.once('error', reject);
    child.send({ base, token, paths, concurrency, seconds, maxRequests: Number.isFinite(maxRequests) ? maxRequests : null });
  });
}

function runLoadClient(): void {
  process.once('message', async (msg: { base: string; token: string; paths: string[]; concurrency: number; seconds: number; maxRequests: number | null }) => {
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const t0 = performance.now();
    const deadline = msg.maxRequests === null ? t0 + msg.seconds * 1000 : Infinity;
    const limit = msg.maxRequests ?? Infinity;
    await Promise.all(
      Array.from({ length: msg.concurrency }, async () => {
        while (performance.now() < deadline && next < limit) {
          const path = msg.paths[next++ % msg.paths.length];
          const s = performance.now();
          try {
            const res = await fetch(`${msg.base}${path}`, { headers: { Authorization: `Bearer ${msg.token}` } });
            await res.arrayBuffer();
            if (res.ok) latencies.push(performance.now() - s);
            else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
    process.send!(stats(latencies, errors, (performance.now() - t0) / 1000), () => process.exit(0));
  });
}

function stats(latencies: number[], errors: number, wallS: number): LoadStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  return { count: sorted.length, rps: sorted.length / wallS, p50: at(0.5), p95: at(0.95), p99: at(0.99), errors };
}

if (process.argv.includes('--load-client')) {
  runLoadClient();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
