/**
 * Calibration of face clustering on real recordings: every recording goes through the
 * pipeline's own frame sampling (runScenePass) and face tracking (FaceTracker on the engine's
 * findFaces and describeFaces), and the resulting track descriptors are compared across recordings
 * (same person, different recording vs different people) and clustered with the production
 * incremental DBSCAN at a sweep of eps values, scored by purity and completeness.
 */
import { DbscanStore, FaceTracker, insertPoint, PlacedPoint } from '@heimdex/faces';
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { cosineSimilarity, FaceEngine } from '@heimdex/ml';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Recording {
  /** Who is in it (one person per recording). */
  person: string;
  /** A name of its own: two recordings of one person have different names. */
  name: string;
  path: string;
}

export interface RecordingTrack {
  person: string;
  recording: string;
  descriptor: Float32Array;
  frames: number;
}

export interface TrackingCost {
  frames: number;
  faces: number;
  described: number;
  reused: number;
  msPerFrame: number;
}

export interface TrackOptions {
  threshold: number;
  followThreshold: number;
  sampleFps?: number;
}

/** One shot per recording (these are single-shot talking heads): its tracks, as faces_enroll_match makes them. */
export async function trackRecordings(
  bins: FfmpegBinaries,
  engine: FaceEngine,
  recordings: readonly Recording[],
  options: TrackOptions,
): Promise<{ tracks: RecordingTrack[]; cost: TrackingCost }> {
  const tracks: RecordingTrack[] = [];
  const cost = { frames: 0, faces: 0, described: 0, reused: 0, ms: 0 };
  for (const r of recordings) {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-face-calibration-'));
    try {
      const pass = await runScenePass(bins, r.path, dir, { framesPerSecond: options.sampleFps ?? 2, maxFrameSide: 1280 });
      const tracker = new FaceTracker(engine, { threshold: options.threshold, followThreshold: options.followThreshold });
      const started = performance.now();
      for (const frame of pass.frames) {
        const image = readFileSync(frame.path);
        await tracker.addFrame(frame.timeS, image, await engine.findFaces(image));
      }
      cost.ms += performance.now() - started;
      cost.frames += pass.frames.length;
      cost.faces += tracker.counts.faces;
      cost.described += tracker.counts.described;
      cost.reused += tracker.counts.reused;
      for (const t of tracker.tracks()) tracks.push({ person: r.person, recording: r.name, descriptor: t.descriptor, frames: t.frames });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { ms, ...counts } = cost;
  return { tracks, cost: { ...counts, msPerFrame: Math.round(ms / Math.max(1, cost.frames)) } };
}

export interface SimilarityDistributions {
  /** The same person in two different recordings. */
  samePerson: number[];
  differentPeople: number[];
}

export function similarityDistributions(tracks: readonly RecordingTrack[]): SimilarityDistributions {
  const samePerson: number[] = [];
  const differentPeople: number[] = [];
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++) {
      const [a, b] = [tracks[i], tracks[j]];
      if (a.recording === b.recording) continue;
      const sim = round(cosineSimilarity(a.descriptor, b.descriptor));
      (a.person === b.person ? samePerson : differentPeople).push(sim);
    }
  }
  return { samePerson: samePerson.sort((x, y) => x - y), differentPeople: differentPeople.sort((x, y) => y - x) };
}

export interface ClusterScore {
  eps: number;
  clusters: number;
  noise: number;
  /** Share of clustered tracks whose cluster's majority person is theirs (1: no cluster mixes people). */
  purity: number;
  /** Share of same-person track pairs (across recordings) that share a cluster. */
  completeness: number;
  /** Pairs of different people put in one cluster. */
  mergedPairs: number;
}

/** The tracks clustered as FaceClusterer does (incremental DBSCAN, cosine distance ≤ eps), in the given order. */
export async function clusterTracks(tracks: readonly RecordingTrack[], eps: number, minSize: number): Promise<ClusterScore> {
  const store = new MemoryStore(tracks, eps);
  for (let i = 0; i < tracks.length; i++) await insertPoint(store, String(i), minSize);
  const clusterOf = (i: number) => store.cluster.get(String(i)) ?? null;
  const members = new Map<string, number[]>();
  tracks.forEach((_, i) => {
    const c = clusterOf(i);
    if (c) members.set(c, [...(members.get(c) ?? []), i]);
  });
  let majority = 0;
  let clustered = 0;
  for (const ids of members.values()) {
    const byPerson = new Map<string, number>();
    for (const i of ids) byPerson.set(tracks[i].person, (byPerson.get(tracks[i].person) ?? 0) + 1);
    majority += Math.max(...byPerson.values());
    clustered += ids.length;
  }
  let [samePairs, together, mergedPairs] = [0, 0, 0];
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++) {
      const shared = clusterOf(i) !== null && clusterOf(i) === clusterOf(j);
      if (tracks[i].person === tracks[j].person && tracks[i].recording !== tracks[j].recording) {
        samePairs += 1;
        if (shared) together += 1;
      } else if (tracks[i].person !== tracks[j].person && shared) mergedPairs += 1;
    }
  }
  return {
    eps,
    clusters: members.size,
    noise: tracks.length - clustered,
    purity: clustered ? round(majority / clustered) : 1,
    completeness: samePairs ? round(together / samePairs) : 1,
    mergedPairs,
  };
}

class MemoryStore implements DbscanStore {
  private readonly placed = new Set<string>();
  readonly cluster = new Map<string, string>();
  private next = 0;

  constructor(
    private readonly tracks: readonly RecordingTrack[],
    private readonly eps: number,
  ) {}

  private near(id: string): string[] {
    const me = this.tracks[Number(id)].descriptor;
    return [...this.placed].filter((p) => p !== id && 1 - cosineSimilarity(me, this.tracks[Number(p)].descriptor) <= this.eps);
  }

  async neighbours(id: string): Promise<PlacedPoint[]> {
    return this.near(id).map((p) => ({ id: p, clusterId: this.cluster.get(p) ?? null }));
  }
  async neighbourCounts(ids: readonly string[]): Promise<Map<string, number>> {
    return new Map(ids.map((id) => [id, this.near(id).length]));
  }
  async markPlaced(id: string): Promise<void> {
    this.placed.add(id);
  }
  async createCluster(): Promise<string> {
    return `c${this.next++}`;
  }
  async assign(ids: readonly string[], clusterId: string): Promise<void> {
    for (const id of ids) this.cluster.set(id, clusterId);
  }
  async mergeClusters(into: string, from: readonly string[]): Promise<void> {
    for (const [id, c] of this.cluster) if (from.includes(c)) this.cluster.set(id, into);
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
