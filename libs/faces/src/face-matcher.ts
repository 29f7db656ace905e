import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { assignFaces, FaceMatch, FaceMatchRule, KnownPerson } from '@heimdex/ml';
import { FaceIndexRepository, MatchChange } from './face-index.repository';

export interface SceneTrack {
  sceneId: string;
  descriptor: Float32Array;
}

export type RematchOutcome = { stale: true } | { stale: false; named: number; unnamed: number; candidates: number; models: string[] };

/**
 * The database rounds distances in single precision: candidates are fetched a hair beyond the
 * threshold and the rule below decides exactly.
 */
const CANDIDATE_SLACK = 1e-5;

/**
 * The rule, applied per scene: a track is named after a person only when that person's nearest
 * enrolled face is at least `threshold` similar and no other person comes within `margin`; a
 * person goes to at most one track of a scene (tracks are per person per scene, so also at
 * most once per frame). See assignFaces.
 */
export function matchScenes(tracks: readonly SceneTrack[], people: readonly KnownPerson[], rule: FaceMatchRule): (FaceMatch | null)[] {
  const out: (FaceMatch | null)[] = tracks.map(() => null);
  if (!people.length) return out;
  const byScene = new Map<string, number[]>();
  tracks.forEach((t, i) => byScene.set(t.sceneId, [...(byScene.get(t.sceneId) ?? []), i]));
  for (const indexes of byScene.values()) {
    const matches = assignFaces(
      indexes.map((i) => tracks[i].descriptor),
      people,
      rule,
    );
    indexes.forEach((i, k) => (out[i] = matches[k]));
  }
  return out;
}

/**
 * The one place scene face tracks get their person: the faces stage for a video's new tracks,
 * the re-match job for everything stored after the user's people change. Embeddings are only
 * ever compared within one model's space.
 */
@Injectable()
export class FaceMatcher {
  constructor(
    private readonly orm: MikroORM,
    private readonly index: FaceIndexRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get rule(): FaceMatchRule {
    return { threshold: this.config.ml.faceMatchThreshold, margin: this.config.ml.faceMatchMargin };
  }

  /**
   * Matches tracks about to be stored, inside the caller's transaction. The user's faces lock is
   * taken first, so an enrolment committed concurrently is either seen here or its re-match job
   * (queued after it commits) sees these tracks.
   */
  async matchNew(tx: EntityManager, userId: string, model: string, tracks: readonly SceneTrack[]): Promise<{ matches: (FaceMatch | null)[]; people: number }> {
    await this.index.lockUser(tx, userId);
    const people = await this.index.exemplars(tx, userId, model);
    return { matches: matchScenes(tracks, people, this.rule), people: people.length };
  }

  /**
   * Re-matches every stored track of the user against their people, without reprocessing any
   * video. The work is read outside a transaction; the writes happen under the user's lock and
   * only if no newer change to their people was made meanwhile (its own job then does it).
   * Only rows read here change: tracks stored meanwhile were matched by their stage.
   */
  async rematchUser(userId: string, revision: number): Promise<RematchOutcome> {
    const em = this.orm.em.fork();
    if ((await this.index.revision(em, userId)) > revision) return { stale: true };
    const named: MatchChange[] = [];
    const unnamed: string[] = [];
    let candidates = 0;
    const models = await this.index.trackModels(em, userId);
    for (const model of models) {
      const people = await this.index.exemplars(em, userId, model);
      const tracks = people.length ? await this.index.candidates(em, userId, model, 1 - this.rule.threshold + CANDIDATE_SLACK) : [];
      candidates += tracks.length;
      const matches = matchScenes(tracks, people, this.rule);
      const current = await this.index.currentMatches(em, userId, model);
      const keep = new Set<string>();
      tracks.forEach((t, i) => {
        const m = matches[i];
        if (!m) return;
        keep.add(t.id);
        const was = current.get(t.id);
        if (!was || was.personId !== m.personId || was.confidence === null || Math.abs(was.confidence - m.similarity) > 1e-9) {
          named.push({ id: t.id, personId: m.personId, similarity: m.similarity });
        }
      });
      for (const id of current.keys()) if (!keep.has(id)) unnamed.push(id);
    }
    return this.orm.em.fork().transactional(async (tx): Promise<RematchOutcome> => {
      await this.index.lockUser(tx, userId);
      if ((await this.index.revision(tx, userId)) !== revision) return { stale: true };
      await this.index.applyMatches(tx, named, unnamed);
      return { stale: false, named: named.length, unnamed: unnamed.length, candidates, models };
    });
  }
}
