import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Face, FaceSource, Person } from '@heimdex/db';
import type { KeysetCursor } from './keyset-cursor';

export interface PersonStats {
  enrolledFaces: number;
  scenes: number;
  models: { embeddingModel: string; faces: number; keptPhotos: number }[];
}

export interface AppearanceRow {
  videoId: string;
  sceneId: string;
  startS: number;
  endS: number;
  confidence: number | null;
}

/** The SQL of the people domain. Every read is scoped to the owner. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly em: EntityManager) {}

  findOwned(userId: string, id: string, em: EntityManager = this.em, lock = false): Promise<Person | null> {
    return em.findOne(Person, { id, userId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  page(userId: string, opts: { limit: number; after?: KeysetCursor<string> }): Promise<Person[]> {
    const where: Record<string, unknown> = { userId };
    if (opts.after) where.$or = [{ name: { $gt: opts.after.key } }, { name: opts.after.key, id: { $gt: opts.after.id } }];
    return this.em.find(Person, where, { orderBy: { name: 'asc', id: 'asc' }, limit: opts.limit });
  }

  /** Enrolments per model and scenes found, for each person. */
  async stats(personIds: readonly string[], em: EntityManager = this.em): Promise<Map<string, PersonStats>> {
    const out = new Map<string, PersonStats>(personIds.map((id) => [id, { enrolledFaces: 0, scenes: 0, models: [] }]));
    if (!personIds.length) return out;
    const enrolled = await em.execute<{ person_id: string; embedding_model: string; faces: number; kept: number }[]>(
      `select person_id, embedding_model, count(*)::int as faces, count(photo_key)::int as kept from faces
        where person_id in (${personIds.map(() => '?').join(',')}) and source = 'enrollment'
        group by person_id, embedding_model order by person_id, embedding_model`,
      [...personIds],
    );
    for (const r of enrolled) {
      const s = out.get(r.person_id)!;
      s.models.push({ embeddingModel: r.embedding_model, faces: r.faces, keptPhotos: r.kept });
      s.enrolledFaces += r.faces;
    }
    const scenes = await em.execute<{ person_id: string; n: number }[]>(
      `select f.person_id, count(distinct f.scene_id)::int as n from faces f join videos v on v.id = f.video_id
        where f.person_id in (${personIds.map(() => '?').join(',')}) and f.source = 'detection' and v.state <> 'deleted'
        group by f.person_id`,
      [...personIds],
    );
    for (const r of scenes) out.get(r.person_id)!.scenes = r.n;
    return out;
  }

  enrolments(personId: string): Promise<Face[]> {
    return this.em.find(Face, { person: personId, source: FaceSource.Enrollment }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  findEnrolment(em: EntityManager, personId: string, faceId: string): Promise<Face | null> {
    return em.findOne(Face, { id: faceId, person: personId, source: FaceSource.Enrollment });
  }

  /** Scenes of the owner's live videos where the person was found, the best match per scene. */
  async appearances(userId: string, personId: string): Promise<AppearanceRow[]> {
    const rows = await this.em.execute<{ video_id: string; scene_id: string; start_s: number; end_s: number; confidence: number | null }[]>(
      `select distinct on (v.created_at, v.id, s.start_s, s.id) v.id as video_id, s.id as scene_id, s.start_s, s.end_s, f.confidence
         from faces f join scenes s on s.id = f.scene_id join videos v on v.id = f.video_id
        where f.user_id = ? and f.person_id = ? and f.source = 'detection' and v.user_id = ? and v.state <> 'deleted'
        order by v.created_at desc, v.id, s.start_s, s.id, f.confidence desc nulls last`,
      [userId, personId, userId],
    );
    return rows.map((r) => ({ videoId: r.video_id, sceneId: r.scene_id, startS: r.start_s, endS: r.end_s, confidence: r.confidence }));
  }

  /** Distinct kept photos of the person's enrolments (one photo may back embeddings of several models). */
  async photoKeys(em: EntityManager, personId: string, faceId?: string): Promise<string[]> {
    const rows = await em.execute<{ photo_key: string }[]>(
      `select distinct photo_key from faces where person_id = ? and source = 'enrollment' and photo_key is not null
          ${faceId ? 'and photo_key = (select photo_key from faces where id = ?)' : ''}`,
      faceId ? [personId, faceId] : [personId],
    );
    return rows.map((r) => r.photo_key);
  }

  /** Deletes the person's enrolments: all, or those of one photo (every model's embedding of it) or one face. */
  async deleteEnrolments(em: EntityManager, personId: string, face?: Face): Promise<number> {
    if (!face) return em.nativeDelete(Face, { person: personId, source: FaceSource.Enrollment });
    if (face.photoKey) return em.nativeDelete(Face, { person: personId, source: FaceSource.Enrollment, photoKey: face.photoKey });
    return em.nativeDelete(Face, { id: face.id });
  }

  /** Moves every face of one person (enrolments and scene tracks) to another. */
  moveFaces(em: EntityManager, fromPersonId: string, toPersonId: string): Promise<number> {
    return em.nativeUpdate(Face, { person: fromPersonId }, { person: toPersonId });
  }
}
