import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetCursor } from './keyset-cursor';

export interface ClusterFaceRow {
  faceId: string;
  videoId: string;
  sceneId: string;
  startS: number;
  endS: number;
  thumbnailKey: string | null;
}

export interface ClusterRow {
  id: string;
  size: number;
  videos: number;
  embeddingModel: string;
  updatedAt: Date;
  representative: ClusterFaceRow | null;
}

interface RawCluster {
  id: string;
  size: number;
  videos: number;
  embedding_model: string;
  /** Raw SQL returns timestamptz as Postgres prints it (MikroORM leaves dates as text); the view sends ISO 8601. */
  updated_at: string;
  rep_id: string | null;
  rep_video_id: string | null;
  rep_scene_id: string | null;
  rep_start_s: number | null;
  rep_end_s: number | null;
  rep_thumbnail_key: string | null;
}

// Members counted live (not the stored size): a deleted video's faces leave at once.
const CLUSTERS = `
  select c.id, c.embedding_model, c.updated_at, count(f.id)::int as size, count(distinct f.video_id)::int as videos,
         r.id as rep_id, r.video_id as rep_video_id, r.scene_id as rep_scene_id, rs.start_s as rep_start_s, rs.end_s as rep_end_s,
         r.thumbnail_key as rep_thumbnail_key
    from face_clusters c
    join faces f on f.cluster_id = c.id and f.person_id is null
    join videos v on v.id = f.video_id and v.state <> 'deleted'
    left join faces r on r.id = c.representative_face_id
    left join scenes rs on rs.id = r.scene_id
   where c.user_id = ?`;
const GROUP = 'group by c.id, r.id, rs.id';

/** The SQL behind GET /v1/faces/clusters and assigning a cluster. Every read is scoped to the owner. */
@Injectable()
export class FaceClustersRepository {
  constructor(private readonly em: EntityManager) {}

  async page(userId: string, opts: { minSize: number; limit: number; after?: KeysetCursor<number> }): Promise<ClusterRow[]> {
    const after = opts.after ? 'and (count(f.id) < ? or (count(f.id) = ? and c.id > ?))' : '';
    const rows = await this.em.execute<RawCluster[]>(`${CLUSTERS} ${GROUP} having count(f.id) >= ? ${after} order by size desc, c.id asc limit ?`, [
      userId,
      opts.minSize,
      ...(opts.after ? [opts.after.key, opts.after.key, opts.after.id] : []),
      opts.limit,
    ]);
    return rows.map(toCluster);
  }

  async findOwned(userId: string, id: string): Promise<ClusterRow | null> {
    const rows = await this.em.execute<RawCluster[]>(`${CLUSTERS} and c.id = ? ${GROUP}`, [userId, id]);
    return rows[0] ? toCluster(rows[0]) : null;
  }

  async exists(em: EntityManager, userId: string, id: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>('select id from face_clusters where id = ? and user_id = ?', [id, userId]);
    return rows.length > 0;
  }

  async members(clusterId: string): Promise<ClusterFaceRow[]> {
    const rows = await this.em.execute<{ id: string; video_id: string; scene_id: string; start_s: number; end_s: number; thumbnail_key: string | null }[]>(
      `select f.id, f.video_id, f.scene_id, s.start_s, s.end_s, f.thumbnail_key
         from faces f join scenes s on s.id = f.scene_id join videos v on v.id = f.video_id and v.state <> 'deleted'
        where f.cluster_id = ? and f.person_id is null order by v.created_at desc, s.start_s, f.id`,
      [clusterId],
    );
    return rows.map((r) => ({ faceId: r.id, videoId: r.video_id, sceneId: r.scene_id, startS: r.start_s, endS: r.end_s, thumbnailKey: r.thumbnail_key }));
  }

  /**
   * Names the cluster's faces after the person and enrols the `maxEnrolled` nearest its middle
   * as the person's faces (copies of their embeddings, with their model), then removes the cluster.
   */
  async assign(em: EntityManager, clusterId: string, userId: string, personId: string, maxEnrolled: number): Promise<{ named: number; enrolled: number }> {
    const enrolled = await em.execute<{ id: string }[]>(
      `with m as (select id, embedding, embedding_model, box from faces where cluster_id = ? and person_id is null),
            centre as (select avg(embedding) as v from m)
       insert into faces (id, user_id, source, person_id, embedding, embedding_model, box)
       select gen_random_uuid(), ?, 'enrollment', ?, m.embedding, m.embedding_model, m.box
         from m, centre order by m.embedding <=> centre.v, m.id limit ?
       returning id`,
      [clusterId, userId, personId, maxEnrolled],
    );
    const named = await em.execute<{ id: string }[]>(
      `update faces set person_id = ?, confidence = null, cluster_id = null where cluster_id = ? and person_id is null returning id`,
      [personId, clusterId],
    );
    await em.execute('delete from face_clusters where id = ?', [clusterId]);
    return { named: named.length, enrolled: enrolled.length };
  }
}

function toCluster(r: RawCluster): ClusterRow {
  return {
    id: r.id,
    size: r.size,
    videos: r.videos,
    embeddingModel: r.embedding_model,
    updatedAt: new Date(r.updated_at),
    representative:
      r.rep_id && r.rep_video_id && r.rep_scene_id
        ? {
            faceId: r.rep_id,
            videoId: r.rep_video_id,
            sceneId: r.rep_scene_id,
            startS: r.rep_start_s ?? 0,
            endS: r.rep_end_s ?? 0,
            thumbnailKey: r.rep_thumbnail_key,
          }
        : null,
  };
}
