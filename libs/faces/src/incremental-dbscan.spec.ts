import { batchDbscan, DbscanStore, insertPoint, PlacedPoint } from './incremental-dbscan';

/** Points on a plane, in memory: the store the algorithm is checked against batch DBSCAN with. */
class PlaneStore implements DbscanStore {
  readonly placed = new Set<string>();
  readonly cluster = new Map<string, string>();
  readonly clusters = new Set<string>();
  private next = 0;

  constructor(
    private readonly at: Map<string, [number, number]>,
    private readonly eps: number,
  ) {}

  near(id: string, among: Iterable<string>): string[] {
    const [x, y] = this.at.get(id)!;
    return [...among].filter((o) => o !== id && Math.hypot(this.at.get(o)![0] - x, this.at.get(o)![1] - y) <= this.eps);
  }

  async neighbours(id: string): Promise<PlacedPoint[]> {
    return this.near(id, this.placed).map((o) => ({ id: o, clusterId: this.cluster.get(o) ?? null }));
  }

  async neighbourCounts(ids: readonly string[]): Promise<Map<string, number>> {
    return new Map(ids.map((id) => [id, this.near(id, this.placed).length]));
  }

  async markPlaced(id: string): Promise<void> {
    this.placed.add(id);
  }

  async createCluster(): Promise<string> {
    const id = `c${String(this.next++).padStart(4, '0')}`;
    this.clusters.add(id);
    return id;
  }

  async assign(ids: readonly string[], clusterId: string): Promise<void> {
    if (!this.clusters.has(clusterId)) throw new Error(`no cluster ${clusterId}`);
    for (const id of ids) this.cluster.set(id, clusterId);
  }

  async mergeClusters(into: string, from: readonly string[]): Promise<void> {
    for (const [p, c] of this.cluster) if (from.includes(c)) this.cluster.set(p, into);
    for (const c of from) this.clusters.delete(c);
  }
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function blobs(seed: number, n: number): Map<string, [number, number]> {
  const r = random(seed);
  const centres = Array.from({ length: 4 }, () => [r() * 10, r() * 10]);
  const at = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    const [cx, cy] = r() < 0.8 ? centres[Math.floor(r() * centres.length)] : [r() * 10, r() * 10];
    at.set(`p${String(i).padStart(3, '0')}`, [cx + (r() - 0.5) * 1.5, cy + (r() - 0.5) * 1.5]);
  }
  return at;
}

/** Checks the incremental result against batch DBSCAN: same noise, same grouping of core points, borders next to a core of their cluster. */
function expectSameClustering(store: PlaneStore, at: Map<string, [number, number]>, minPts: number): void {
  const ids = [...at.keys()];
  const batch = batchDbscan(ids, (id) => store.near(id, ids), minPts);
  const core = ids.filter((id) => store.near(id, ids).length + 1 >= minPts);
  const noise = (label: (id: string) => unknown) => ids.filter((id) => label(id) == null).sort();
  expect(noise((id) => store.cluster.get(id))).toEqual(noise((id) => batch.get(id)));
  for (const a of core) {
    for (const b of core) {
      expect({ a, b, together: store.cluster.get(a) === store.cluster.get(b) }).toEqual({ a, b, together: batch.get(a) === batch.get(b) });
    }
  }
  for (const id of ids.filter((i) => store.cluster.has(i) && !core.includes(i))) {
    expect(store.near(id, core).some((c) => store.cluster.get(c) === store.cluster.get(id))).toBe(true);
  }
  expect(new Set(store.cluster.values())).toEqual(store.clusters);
}

describe('insertPoint (incremental DBSCAN)', () => {
  it.each([
    [1, 2, 60],
    [2, 3, 80],
    [3, 4, 80],
    [4, 5, 120],
    [5, 2, 40],
  ])('seed %i, minPts %i, %i points: same clusters as batch DBSCAN, whatever the order', async (seed, minPts, n) => {
    const at = blobs(seed, n);
    const store = new PlaneStore(at, 0.5);
    const order = [...at.keys()].sort((a, b) => ((a.charCodeAt(3) * 31 + seed) % 7) - ((b.charCodeAt(3) * 31 + seed) % 7) || a.localeCompare(b));
    for (const id of order) await insertPoint(store, id, minPts);
    expectSameClustering(store, at, minPts);
  });

  it('makes no cluster until minPts points are close, then one cluster', async () => {
    const at = new Map<string, [number, number]>([
      ['a', [0, 0]],
      ['b', [0.3, 0]],
      ['c', [0.6, 0]],
    ]);
    const store = new PlaneStore(at, 0.35);
    expect(await insertPoint(store, 'a', 3)).toEqual({ clusterId: null, touched: [] });
    expect(await insertPoint(store, 'c', 3)).toEqual({ clusterId: null, touched: [] });
    // b has a and c as neighbours: core, and a, c join as border points.
    const out = await insertPoint(store, 'b', 3);
    expect(out.clusterId).not.toBeNull();
    expect([store.cluster.get('a'), store.cluster.get('b'), store.cluster.get('c')]).toEqual([out.clusterId, out.clusterId, out.clusterId]);
  });

  it('merges two clusters a new point connects, keeping one id', async () => {
    const at = new Map<string, [number, number]>([
      ['a1', [0, 0]],
      ['a2', [0.4, 0]],
      ['b1', [1.6, 0]],
      ['b2', [1.2, 0]],
      ['bridge', [0.8, 0]],
    ]);
    const store = new PlaneStore(at, 0.45);
    for (const id of ['a1', 'a2', 'b1', 'b2']) await insertPoint(store, id, 2);
    expect(store.clusters.size).toBe(2);
    const out = await insertPoint(store, 'bridge', 2);
    expect(store.clusters).toEqual(new Set([out.clusterId]));
    expect(new Set(store.cluster.values())).toEqual(new Set([out.clusterId]));
  });

  it('joins a non-core point to the cluster of a core neighbour (border point)', async () => {
    const at = new Map<string, [number, number]>([
      ['a', [0, 0]],
      ['b', [0.2, 0]],
      ['c', [0.1, 0.2]],
      ['edge', [0.6, 0]],
    ]);
    const store = new PlaneStore(at, 0.45);
    for (const id of ['a', 'b', 'c']) await insertPoint(store, id, 3);
    const out = await insertPoint(store, 'edge', 3);
    expect(out.clusterId).toBe(store.cluster.get('a'));
  });
});
