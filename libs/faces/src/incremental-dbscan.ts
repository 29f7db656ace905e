/** A point already placed by the clusterer, with the cluster it is in (null: noise). */
export interface PlacedPoint {
  id: string;
  clusterId: string | null;
}

/**
 * What incremental DBSCAN needs from where the points live. "Placed" points are those inserted
 * so far; a neighbour is a placed point at most eps away (the point itself never counts).
 */
export interface DbscanStore {
  neighbours(id: string): Promise<PlacedPoint[]>;
  /** How many placed neighbours each point has. */
  neighbourCounts(ids: readonly string[]): Promise<Map<string, number>>;
  markPlaced(id: string): Promise<void>;
  createCluster(): Promise<string>;
  assign(ids: readonly string[], clusterId: string): Promise<void>;
  /** Moves every member of `from` into `into` and removes the `from` clusters. */
  mergeClusters(into: string, from: readonly string[]): Promise<void>;
}

export interface InsertOutcome {
  /** The cluster the point ended in; null: noise for now. */
  clusterId: string | null;
  /** Clusters created, grown or merged into by this insertion. */
  touched: string[];
}

/**
 * Inserts one point into a DBSCAN clustering kept in `store` (Ester et al., "Incremental
 * Clustering for Mining in a Data Warehousing Environment", 1998). A point is core when it and
 * its neighbours number at least `minPts`. Only the new point and its neighbours can change
 * core status; each point that becomes core pulls its noise neighbours into its cluster and
 * merges the clusters of its core neighbours. Result: the clusters batch DBSCAN gives on the
 * placed points (border points reachable from two clusters may sit in either, as in DBSCAN).
 */
export async function insertPoint(store: DbscanStore, id: string, minPts: number): Promise<InsertOutcome> {
  const around = await store.neighbours(id);
  await store.markPlaced(id);
  const counts = await store.neighbourCounts(around.map((p) => p.id));
  const isCore = (count: number) => count + 1 >= minPts;

  const clusterOf = new Map<string, string | null>([[id, null], ...around.map((p): [string, string | null] => [p.id, p.clusterId])]);
  const renamed = new Map<string, string>();
  const resolve = (c: string | null): string | null => {
    while (c && renamed.has(c)) c = renamed.get(c)!;
    return c;
  };
  const touched = new Set<string>();

  // Points whose core status this insertion turns on: the new point, and neighbours one short before it.
  const newlyCore: { id: string; neighbours: PlacedPoint[] }[] = [];
  if (isCore(around.length)) newlyCore.push({ id, neighbours: around });
  for (const p of around) {
    const count = counts.get(p.id) ?? 0;
    if (count + 1 === minPts) newlyCore.push({ id: p.id, neighbours: await store.neighbours(p.id) });
  }

  for (const core of newlyCore) {
    for (const p of core.neighbours) if (!clusterOf.has(p.id)) clusterOf.set(p.id, p.clusterId);
    const coreCounts = await store.neighbourCounts(core.neighbours.map((p) => p.id));
    const joined = new Set<string>();
    const own = resolve(clusterOf.get(core.id) ?? null);
    if (own) joined.add(own);
    for (const p of core.neighbours) {
      const c = resolve(clusterOf.get(p.id) ?? null);
      if (c && isCore(coreCounts.get(p.id) ?? 0)) joined.add(c);
    }
    const [target, ...others] = [...joined].sort();
    const into = target ?? (await store.createCluster());
    if (others.length) {
      await store.mergeClusters(into, others);
      for (const o of others) {
        renamed.set(o, into);
        touched.delete(o);
      }
    }
    // The core point's own cluster is among those merged, so only unclustered points move.
    const joining = [core.id, ...core.neighbours.map((p) => p.id)].filter((pid) => resolve(clusterOf.get(pid) ?? null) === null);
    if (joining.length) await store.assign([...new Set(joining)], into);
    for (const pid of joining) clusterOf.set(pid, into);
    touched.add(into);
  }

  // Not core and not pulled in: a border point of a core neighbour's cluster, or noise.
  let mine = resolve(clusterOf.get(id) ?? null);
  if (!mine) {
    const core = around.find((p) => resolve(clusterOf.get(p.id) ?? null) && isCore(counts.get(p.id) ?? 0));
    if (core) {
      mine = resolve(clusterOf.get(core.id) ?? null)!;
      await store.assign([id], mine);
      touched.add(mine);
    }
  }
  return { clusterId: mine, touched: [...touched] };
}

/** Batch DBSCAN over a similarity graph: the reference the incremental version is tested against. */
export function batchDbscan(ids: readonly string[], neighbours: (id: string) => readonly string[], minPts: number): Map<string, number | null> {
  const label = new Map<string, number | null>();
  const core = (id: string) => neighbours(id).length + 1 >= minPts;
  let next = 0;
  for (const id of ids) {
    if (label.has(id) || !core(id)) continue;
    const cluster = next++;
    const queue = [id];
    label.set(id, cluster);
    while (queue.length) {
      const p = queue.shift()!;
      if (!core(p)) continue;
      for (const q of neighbours(p)) {
        if (label.get(q) != null) continue;
        label.set(q, cluster);
        queue.push(q);
      }
    }
  }
  for (const id of ids) if (!label.has(id)) label.set(id, null);
  return label;
}
