import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KnownPerson } from '@heimdex/ml';
import { fromSql } from 'pgvector';
import { pgArray } from './pg-array';

/** A stored scene face track, as matching and clustering read it. */
export interface StoredTrack {
  id: string;
  sceneId: string;
  descriptor: Float32Array;
}

export interface CurrentMatch {
  personId: string;
  confidence: number | null;
}

export interface MatchChange {
  id: string;
  personId: string;
  similarity: number;
}

// Every statement names the embedding model: vectors of two models are never compared.
const UNNAMED = `source = 'detection' and person_id is null`;

/**
 * The SQL behind matching and clustering, shared by the api and the worker. Every method takes
 * the EntityManager to run in, so callers decide the transaction.
 */
@Injectable()
export class FaceIndexRepository {
  /** Serialises changes to one user's people and face assignments (held to the end of the caller's transaction). */
  async lockUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`faces:${userId}`]);
  }

  async bumpRevision(em: EntityManager, userId: string): Promise<number> {
    const rows = await em.execute<{ revision: number }[]>(
      `insert into face_index_states (user_id, revision) values (?, 1)
       on conflict (user_id) do update set revision = face_index_states.revision + 1, updated_at = now()
       returning revision`,
      [userId],
    );
    return rows[0].revision;
  }

  async revision(em: EntityManager, userId: string): Promise<number> {
    const rows = await em.execute<{ revision: number }[]>('select revision from face_index_states where user_id = ?', [userId]);
    return rows[0]?.revision ?? 0;
  }

  /** The user's enrolled faces in one model's space, grouped by person. */
  async exemplars(em: EntityManager, userId: string, model: string): Promise<KnownPerson[]> {
    const rows = await em.execute<{ person_id: string; embedding: string }[]>(
      `select person_id, embedding::text as embedding from faces
        where user_id = ? and source = 'enrollment' and embedding_model = ? and person_id is not null order by person_id, id`,
      [userId, model],
    );
    const byPerson = new Map<string, Float32Array[]>();
    for (const r of rows) {
      const list = byPerson.get(r.person_id) ?? [];
      list.push(descriptor(r.embedding));
      byPerson.set(r.person_id, list);
    }
    return [...byPerson].map(([personId, exemplars]) => ({ personId, exemplars }));
  }

  /** The models the user's scene tracks were made with. */
  async trackModels(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await em.execute<{ embedding_model: string }[]>(
      `select distinct embedding_model from faces where user_id = ? and source = 'detection' order by embedding_model`,
      [userId],
    );
    return rows.map((r) => r.embedding_model);
  }

  /**
   * Tracks at most `maxDistance` (cosine) from some enrolled face of the same model: the only
   * ones that can be named, so the rest need not leave the database.
   */
  async candidates(em: EntityManager, userId: string, model: string, maxDistance: number): Promise<StoredTrack[]> {
    const rows = await em.execute<{ id: string; scene_id: string; embedding: string }[]>(
      `with ex as materialized (
         select embedding from faces where user_id = ? and source = 'enrollment' and embedding_model = ? and person_id is not null
       )
       select t.id, t.scene_id, t.embedding::text as embedding from faces t
        where t.user_id = ? and t.source = 'detection' and t.embedding_model = ? and t.scene_id is not null
          and exists (select 1 from ex where (ex.embedding <=> t.embedding) <= ?)`,
      [userId, model, userId, model, maxDistance],
    );
    return rows.map((r) => ({ id: r.id, sceneId: r.scene_id, descriptor: descriptor(r.embedding) }));
  }

  async currentMatches(em: EntityManager, userId: string, model: string): Promise<Map<string, CurrentMatch>> {
    const rows = await em.execute<{ id: string; person_id: string; confidence: number | null }[]>(
      `select id, person_id, confidence from faces where user_id = ? and source = 'detection' and embedding_model = ? and person_id is not null`,
      [userId, model],
    );
    return new Map(rows.map((r) => [r.id, { personId: r.person_id, confidence: r.confidence }]));
  }

  /** Names tracks (leaving their cluster) and un-names others (back to the clusterer). */
  async applyMatches(em: EntityManager, named: readonly MatchChange[], unnamed: readonly string[]): Promise<void> {
    if (named.length) {
      await em.execute(
        `update faces f set person_id = v.person_id, confidence = v.confidence, cluster_id = null
           from (select unnest(?::uuid[]) as id, unnest(?::uuid[]) as person_id, unnest(?::float8[]) as confidence) v
          where f.id = v.id and f.source = 'detection'`,
        [pgArray(named.map((n) => n.id)), pgArray(named.map((n) => n.personId)), pgArray(named.map((n) => n.similarity))],
      );
    }
    if (unnamed.length) await this.unname(em, { ids: unnamed });
  }

  /** Takes the name off scene tracks (by id, or all of a person's) and hands them back to the clusterer. */
  async unname(em: EntityManager, which: { ids: readonly string[] } | { personId: string }): Promise<void> {
    const [where, param] = 'ids' in which ? ['id = any(?::uuid[])', pgArray(which.ids)] : ['person_id = ?', which.personId];
    await em.execute(`update faces set person_id = null, confidence = null, cluster_id = null, clustered = false where source = 'detection' and ${where}`, [
      param,
    ]);
  }

  // ---- a new face model ----

  /**
   * Kept enrolment photos with no embedding from `model` yet (their person was enrolled under
   * another model): one row per photo, with its person. All users when `userId` is null.
   */
  async photosLackingModel(em: EntityManager, userId: string | null, model: string): Promise<{ userId: string; personId: string; photoKey: string }[]> {
    const rows = await em.execute<{ user_id: string; person_id: string; photo_key: string }[]>(
      `select distinct on (f.photo_key) f.user_id, f.person_id, f.photo_key from faces f
        where f.source = 'enrollment' and f.photo_key is not null and f.person_id is not null and (?::uuid is null or f.user_id = ?::uuid)
          and not exists (select 1 from faces g where g.photo_key = f.photo_key and g.embedding_model = ?)
        order by f.photo_key`,
      [userId, userId, model],
    );
    return rows.map((r) => ({ userId: r.user_id, personId: r.person_id, photoKey: r.photo_key }));
  }

  // ---- clustering ----

  /** The models of the user's unnamed tracks and of their clusters (a cluster may have lost every member). */
  async clusterModels(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await em.execute<{ embedding_model: string }[]>(
      `select embedding_model from faces where user_id = ? and ${UNNAMED}
       union select embedding_model from face_clusters where user_id = ? order by embedding_model`,
      [userId, userId],
    );
    return rows.map((r) => r.embedding_model);
  }

  async clusterParams(em: EntityManager, userId: string): Promise<string | null> {
    const rows = await em.execute<{ cluster_params: string | null }[]>('select cluster_params from face_index_states where user_id = ?', [userId]);
    return rows[0]?.cluster_params ?? null;
  }

  /** Drops every cluster of the user, so all their unnamed tracks are clustered again with `params`. */
  async resetClusters(em: EntityManager, userId: string, params: string): Promise<void> {
    await em.execute(`update faces set cluster_id = null, clustered = false where user_id = ? and ${UNNAMED}`, [userId]);
    await em.execute('delete from face_clusters where user_id = ?', [userId]);
    await em.execute(
      `insert into face_index_states (user_id, cluster_params) values (?, ?)
       on conflict (user_id) do update set cluster_params = excluded.cluster_params, updated_at = now()`,
      [userId, params],
    );
  }

  /**
   * Clusters that lost members since they were last written (a member was named, deleted, or
   * its video reprocessed): dissolved, their remaining members to be clustered again.
   */
  async dissolveShrunkClusters(em: EntityManager, userId: string, model: string): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `select c.id from face_clusters c
        where c.user_id = ? and c.embedding_model = ? and c.size <> (select count(*) from faces f where f.cluster_id = c.id)`,
      [userId, model],
    );
    if (!rows.length) return 0;
    await this.dissolveClusters(
      em,
      rows.map((r) => r.id),
    );
    return rows.length;
  }

  async dissolveClusters(em: EntityManager, clusterIds: readonly string[]): Promise<void> {
    await em.execute('update faces set cluster_id = null, clustered = false where cluster_id = any(?::uuid[])', [pgArray(clusterIds)]);
    await em.execute('delete from face_clusters where id = any(?::uuid[])', [pgArray(clusterIds)]);
  }

  async nextUnclustered(em: EntityManager, userId: string, model: string): Promise<string | null> {
    const rows = await em.execute<{ id: string }[]>(
      `select id from faces where user_id = ? and embedding_model = ? and ${UNNAMED} and not clustered order by created_at, id limit 1`,
      [userId, model],
    );
    return rows[0]?.id ?? null;
  }

  /** Placed unnamed tracks of the same user and model within `eps` of the track `id`. */
  async clusterNeighbours(em: EntityManager, id: string, eps: number): Promise<{ id: string; clusterId: string | null }[]> {
    const rows = await em.execute<{ id: string; cluster_id: string | null }[]>(
      `select o.id, o.cluster_id from faces p join faces o
           on o.user_id = p.user_id and o.embedding_model = p.embedding_model and o.id <> p.id
        where p.id = ? and o.source = 'detection' and o.person_id is null and o.clustered and (o.embedding <=> p.embedding) <= ?
        order by o.id`,
      [id, eps],
    );
    return rows.map((r) => ({ id: r.id, clusterId: r.cluster_id }));
  }

  async clusterNeighbourCounts(em: EntityManager, ids: readonly string[], eps: number): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await em.execute<{ id: string; n: number }[]>(
      `select q.id, count(o.id)::int as n from faces q left join faces o
           on o.user_id = q.user_id and o.embedding_model = q.embedding_model and o.id <> q.id
          and o.source = 'detection' and o.person_id is null and o.clustered and (o.embedding <=> q.embedding) <= ?
        where q.id = any(?::uuid[]) group by q.id`,
      [eps, pgArray(ids)],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async markClustered(em: EntityManager, id: string): Promise<void> {
    await em.execute('update faces set clustered = true where id = ?', [id]);
  }

  async createCluster(em: EntityManager, id: string, userId: string, model: string): Promise<void> {
    await em.execute('insert into face_clusters (id, user_id, embedding_model) values (?, ?, ?)', [id, userId, model]);
  }

  async setCluster(em: EntityManager, ids: readonly string[], clusterId: string): Promise<void> {
    await em.execute('update faces set cluster_id = ? where id = any(?::uuid[])', [clusterId, pgArray(ids)]);
  }

  async mergeClusters(em: EntityManager, into: string, from: readonly string[]): Promise<void> {
    await em.execute('update faces set cluster_id = ? where cluster_id = any(?::uuid[])', [into, pgArray(from)]);
    await em.execute('delete from face_clusters where id = any(?::uuid[])', [pgArray(from)]);
  }

  /** Size and representative (the member nearest the members' mean) of each cluster; empty ones are removed. */
  async refreshClusters(em: EntityManager, clusterIds: readonly string[]): Promise<void> {
    if (!clusterIds.length) return;
    await em.execute(
      `with s as (select cluster_id, count(*)::int as n, avg(embedding) as centroid from faces where cluster_id = any(?::uuid[]) group by cluster_id)
       update face_clusters c
          set size = s.n, updated_at = now(),
              representative_face_id = (select f.id from faces f where f.cluster_id = s.cluster_id order by f.embedding <=> s.centroid, f.id limit 1)
         from s where c.id = s.cluster_id`,
      [pgArray(clusterIds)],
    );
    await em.execute('delete from face_clusters c where c.id = any(?::uuid[]) and not exists (select 1 from faces f where f.cluster_id = c.id)', [
      pgArray(clusterIds),
    ]);
  }
}

function descriptor(text: string): Float32Array {
  return Float32Array.from(fromSql(text) as number[]);
}
