/**
 * `npm run bench:faces [-- --faces 100000 --people 50 --runs 5 --planted 100]`
 * Time to re-match a user's stored scene faces after an enrolment, as the faces_rematch job does
 * it (FaceMatcher.rematchUser: candidates found in SQL with pgvector, the rule applied per scene
 * in JS, changes written under the user's lock), on synthetic 128-d unit vectors: `faces` scene
 * tracks (4 per scene, 25 scenes per video) of one user, `people` people with 3 enrolled faces
 * each, and per run one new person enrolled whose `planted` tracks lie near their face.
 * Side by side in the same run: the naive way (every track's embedding fetched, the rule applied
 * in JS to all of them), and the clustering pass the job runs afterwards.
 * Runs on embedded PGlite and, when DATABASE_URL is set, on that Postgres in a database of its
 * own (created and dropped here). Medians over `runs` enrolments.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { FaceClusterer, FaceIndexRepository, FaceMatcher, matchScenes } from '@heimdex/faces';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fromSql, toSql } from 'pgvector';
import { onEachBackend } from './bench-backends';

const USER = '00000000-0000-4000-8000-00000000face';
const MODEL = 'bench-face-model@1';
const DIMS = 128;

interface Options {
  faces: number;
  people: number;
  runs: number;
  planted: number;
}

interface Row {
  backend: string;
  what: string;
  ms: number[];
  note: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      faces: { type: 'string', default: '100000' },
      people: { type: 'string', default: '50' },
      runs: { type: 'string', default: '5' },
      planted: { type: 'string', default: '100' },
    },
  });
  const opts: Options = { faces: Number(values.faces), people: Number(values.people), runs: Number(values.runs), planted: Number(values.planted) };
  const rows = await onEachBackend('heimdex_bench_faces', (backend, url) => benchBackend(backend, url, opts));

  console.log(
    `\nre-match after an enrolment: ${opts.faces} stored scene faces of one user, ${opts.people} people (3 faces each) + 1 new, ${opts.planted} faces to name; ${opts.runs} runs\n`,
  );
  console.log('backend   step                                         median ms   min ms   max ms  note');
  for (const r of rows) {
    const s = [...r.ms].sort((a, b) => a - b);
    console.log(
      `${r.backend.padEnd(9)} ${r.what.padEnd(44)} ${median(s).toFixed(0).padStart(9)} ${s[0].toFixed(0).padStart(8)} ${s[s.length - 1].toFixed(0).padStart(8)}  ${r.note}`,
    );
  }
  process.exit(0);
}

async function benchBackend(backend: string, url: string, opts: Options): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-bench-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({ rootDir: root, env: { DATABASE_URL: url, LOG_LEVEL: 'silent' } });
  const orm = await MikroORM.init(ormOptions(url, 4));
  try {
    await migrateToLatest(orm);
    const t0 = Date.now();
    const seeded = await seed(orm, opts);
    console.log(
      `${backend}: seeded ${opts.faces} faces in ${((Date.now() - t0) / 1000).toFixed(1)} s (HNSW index rebuilt in ${(seeded.indexMs / 1000).toFixed(1)} s)`,
    );

    const index = new FaceIndexRepository();
    const matcher = new FaceMatcher(orm, index, config);
    const clusterer = new FaceClusterer(orm, index, config);
    // Clusters already built (the faces were seeded as placed), as they would be before an enrolment.
    await orm.em
      .fork()
      .execute(
        `insert into face_index_states (user_id, cluster_params) values (?, ?) on conflict (user_id) do update set cluster_params = excluded.cluster_params`,
        [USER, `eps=${config.ml.faceClusterEps};min=${config.ml.faceClusterMinSize}`],
      );

    const rematch: number[] = [];
    const naive: number[] = [];
    const cluster: number[] = [];
    let named = 0;
    for (let run = 0; run < opts.runs; run++) {
      const revision = await enrol(orm, index, seeded.newPeople[run]);
      const t1 = performance.now();
      const outcome = await matcher.rematchUser(USER, revision);
      rematch.push(performance.now() - t1);
      if (outcome.stale) throw new Error('stale re-match in a single-writer benchmark');
      named = outcome.named;
      if (outcome.named < opts.planted) throw new Error(`expected at least ${opts.planted} faces named, got ${outcome.named}`);

      const t2 = performance.now();
      await clusterer.clusterUser(USER);
      cluster.push(performance.now() - t2);

      const t3 = performance.now();
      await naiveMatch(orm, index, config.ml.faceMatchThreshold, config.ml.faceMatchMargin);
      naive.push(performance.now() - t3);
      console.log(
        `${backend}: run ${run + 1}: re-match ${rematch[run].toFixed(0)} ms, clustering ${cluster[run].toFixed(0)} ms, naive ${naive[run].toFixed(0)} ms`,
      );
    }
    return [
      { backend, what: 'rematchUser (SQL candidates + JS rule + write)', ms: rematch, note: `${named} named in the last run` },
      { backend, what: 'naive: fetch every embedding, rule in JS', ms: naive, note: 'no write; for comparison' },
      { backend, what: 'clustering pass after it', ms: cluster, note: 'nothing new to place' },
    ];
  } finally {
    await orm.close();
  }
}

/** Videos, scenes and unit-vector faces made in SQL (nothing shipped over the wire), plus people and planted look-alikes. */
async function seed(orm: MikroORM, opts: Options): Promise<{ newPeople: { id: string; face: number[] }[]; indexMs: number }> {
  const em = orm.em.fork();
  const scenes = Math.ceil(opts.faces / 4);
  const videos = Math.ceil(scenes / 25);
  await em.execute('select setseed(0.42)');
  await em.execute('drop index if exists faces_embedding_hnsw');
  await em.execute(
    `insert into videos (id, user_id, state, filename, content_type, size_bytes, storage_key)
     select gen_random_uuid(), ?, 'indexed', 'v' || i || '.mp4', 'video/mp4', 1000, 'videos/' || i from generate_series(1, ?) i`,
    [USER, videos],
  );
  await em.execute(
    `insert into scenes (id, video_id, user_id, index, start_s, end_s)
     select gen_random_uuid(), v.id, v.user_id, k, k * 4, k * 4 + 4 from videos v, generate_series(0, 24) k where v.user_id = ?`,
    [USER],
  );
  await em.execute(
    `insert into faces (id, user_id, source, video_id, scene_id, embedding, embedding_model, clustered)
     select gen_random_uuid(), s.user_id, 'detection', s.video_id, s.id,
            l2_normalize((select array_agg(random() - 0.5) from generate_series(1, ${DIMS}) d where d > 0 * j and s.id is not null)::vector), ?, true
       from (select * from scenes where user_id = ? order by id limit ?) s, generate_series(1, 4) j`,
    [MODEL, USER, Math.ceil(opts.faces / 4)],
  );
  const rng = random(7);
  const unit = (): number[] => normalise(Array.from({ length: DIMS }, () => rng() - 0.5));
  const near = (v: number[], noise: number): number[] => normalise(v.map((x) => x + (rng() - 0.5) * noise));
  for (let p = 0; p < opts.people; p++) {
    const personId = randomUUID();
    await em.execute('insert into people (id, user_id, name) values (?, ?, ?)', [personId, USER, `person ${p}`]);
    const face = unit();
    for (let k = 0; k < 3; k++) {
      await em.execute(`insert into faces (id, user_id, source, person_id, embedding, embedding_model) values (?, ?, 'enrollment', ?, ?::vector, ?)`, [
        randomUUID(),
        USER,
        personId,
        toSql(near(face, 0.05)),
        MODEL,
      ]);
    }
  }
  // Look-alikes of each person to come: existing tracks (one per scene) moved near their face.
  const newPeople = Array.from({ length: opts.runs }, () => ({ id: randomUUID(), face: unit() }));
  const targets = await em.execute<{ id: string }[]>(
    `select distinct on (scene_id) id from faces where user_id = ? and source = 'detection' order by scene_id, id limit ?`,
    [USER, opts.runs * opts.planted],
  );
  for (const [i, t] of targets.entries()) {
    await em.execute('update faces set embedding = ?::vector where id = ?', [toSql(near(newPeople[Math.floor(i / opts.planted)].face, 0.02)), t.id]);
  }
  const t0 = Date.now();
  await em.execute('create index "faces_embedding_hnsw" on "faces" using hnsw ("embedding" vector_cosine_ops)');
  const indexMs = Date.now() - t0;
  await em.execute('analyze faces');
  return { newPeople, indexMs };
}

/** What POST /v1/people/:id/faces does to the database: the person, their face, the user's new revision. */
async function enrol(orm: MikroORM, index: FaceIndexRepository, person: { id: string; face: number[] }): Promise<number> {
  return orm.em.fork().transactional(async (tx) => {
    await index.lockUser(tx, USER);
    await tx.execute('insert into people (id, user_id, name) values (?, ?, ?)', [person.id, USER, 'new person']);
    await tx.execute(`insert into faces (id, user_id, source, person_id, embedding, embedding_model) values (?, ?, 'enrollment', ?, ?::vector, ?)`, [
      randomUUID(),
      USER,
      person.id,
      toSql(person.face),
      MODEL,
    ]);
    return index.bumpRevision(tx, USER);
  });
}

/** The way without pgvector's help: every track's embedding to the app, the rule over all of them. */
async function naiveMatch(orm: MikroORM, index: FaceIndexRepository, threshold: number, margin: number): Promise<number> {
  const em = orm.em.fork();
  const people = await index.exemplars(em, USER, MODEL);
  const rows = await em.execute<{ id: string; scene_id: string; embedding: string }[]>(
    `select id, scene_id, embedding::text as embedding from faces where user_id = ? and source = 'detection' and embedding_model = ?`,
    [USER, MODEL],
  );
  const tracks = rows.map((r) => ({ sceneId: r.scene_id, descriptor: Float32Array.from(fromSql(r.embedding) as number[]) }));
  return matchScenes(tracks, people, { threshold, margin }).filter(Boolean).length;
}

function normalise(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function median(sorted: number[]): number {
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
