/**
 * The lineage layout against brute-force oracles: layers equal the longest path from a root
 * (computed by plain recursion), every edge points right, nodes of a layer never overlap, the
 * crossing count equals a pairwise count of the drawn edges, the barycentre ordering finds the
 * crossing-free drawing of graphs that have one, and random DAGs never end with more crossings than
 * their first, name-sorted ordering.
 */
import {
  countCrossings,
  layoutLineage,
  longestPathLayers,
  type LineageLayout,
} from '../../src/docs/lineage-layout';
import { MartqlError } from '../../src/errors';
import { prng } from '../helpers/prng';

type Edge = [string, string];
const node = (id: string, kind = 'model') => ({ id, kind, label: id });

/** Longest path from any root, by recursion over parents. */
function bruteLayers(ids: string[], edges: Edge[]): Map<string, number> {
  const memo = new Map<string, number>();
  const depth = (id: string): number => {
    if (!memo.has(id)) {
      const parents = edges.filter((e) => e[1] === id).map((e) => e[0]);
      memo.set(id, parents.length ? 1 + Math.max(...parents.map(depth)) : 0);
    }
    return memo.get(id)!;
  };
  return new Map(ids.map((id) => [id, depth(id)]));
}

/** Crossings of the drawn segments between adjacent layers, pair by pair. */
function bruteCrossings(layout: LineageLayout, edges: Edge[]): number {
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  // Each edge's segments: consecutive (layer, y) pairs along its route, one per layer boundary.
  const segments: { layer: number; a: number; b: number }[] = [];
  layout.edges.forEach((e) => {
    const from = at.get(e.from)!;
    // Points come as: start, then two per virtual node (entry and exit), then the end.
    const ys = [e.points[0][1]];
    for (let i = 1; i < e.points.length - 1; i += 2) ys.push(e.points[i][1]);
    ys.push(e.points[e.points.length - 1][1]);
    for (let i = 0; i + 1 < ys.length; i++) segments.push({ layer: from.layer + i, a: ys[i], b: ys[i + 1] });
  });
  expect(layout.edges).toHaveLength(edges.length);
  let crossings = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const s = segments[i];
      const t = segments[j];
      if (s.layer !== t.layer) continue;
      if ((s.a - t.a) * (s.b - t.b) < 0) crossings++;
    }
  }
  return crossings;
}

function randomDag(seed: number, n: number, p: number): { ids: string[]; edges: Edge[] } {
  const rand = prng(seed);
  const ids = Array.from({ length: n }, (_, i) => `n${String(i).padStart(2, '0')}`);
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < p) edges.push([ids[i], ids[j]]);
  return { ids, edges };
}

describe('lineage layout', () => {
  it('layers are the longest path from a root; every edge points right; a layer never overlaps', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { ids, edges } = randomDag(seed, 14, 0.18);
      const layout = layoutLineage(
        ids.map((id) => node(id)),
        edges,
      );
      const expected = bruteLayers(ids, edges);
      for (const placed of layout.nodes) expect(placed.layer).toBe(expected.get(placed.id));
      const at = new Map(layout.nodes.map((n) => [n.id, n]));
      for (const [a, b] of edges) expect(at.get(a)!.x).toBeLessThan(at.get(b)!.x);
      for (const layer of new Set(layout.nodes.map((n) => n.layer))) {
        const ys = layout.nodes
          .filter((n) => n.layer === layer)
          .map((n) => n.y)
          .sort((a, b) => a - b);
        for (let i = 1; i < ys.length; i++)
          expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(layout.nodeHeight);
      }
      for (const placed of layout.nodes) {
        expect(placed.x + layout.nodeWidth).toBeLessThanOrEqual(layout.width);
        expect(placed.y + layout.nodeHeight).toBeLessThanOrEqual(layout.height);
      }
    }
  });

  it('counts crossings as a pairwise check of the drawn edges does', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { ids, edges } = randomDag(100 + seed, 12, 0.25);
      const layout = layoutLineage(
        ids.map((id) => node(id)),
        edges,
      );
      expect(layout.crossings).toBe(bruteCrossings(layout, edges));
    }
    expect(countCrossings([])).toBe(0);
    expect(
      countCrossings([
        [0, 1],
        [1, 0],
      ]),
    ).toBe(1);
    expect(
      countCrossings([
        [0, 0],
        [0, 1],
        [1, 0],
      ]),
    ).toBe(1);
    expect(
      countCrossings([
        [0, 2],
        [1, 1],
        [2, 0],
      ]),
    ).toBe(3);
  });

  it('untangles a graph whose name order crosses', () => {
    // Name order puts a1 over b1 but their children the other way round: two crossings, all avoidable.
    const ids = ['a1', 'b1', 'c1', 'x2', 'y2', 'z2'];
    const edges: Edge[] = [
      ['a1', 'z2'],
      ['b1', 'y2'],
      ['c1', 'x2'],
    ];
    const layout = layoutLineage(
      ids.map((id) => node(id)),
      edges,
    );
    expect(layout.crossings).toBe(0);
    expect(bruteCrossings(layout, edges)).toBe(0);
  });

  it('never ends with more crossings than the first, name-sorted ordering, and is deterministic', () => {
    for (let seed = 1; seed <= 30; seed++) {
      // Layers of 3-5 nodes, edges only between neighbouring layers, every node below the first
      // fed from the layer above: the layers are known and no edge needs a bend.
      const rand = prng(300 + seed);
      const layers: string[][] = [];
      const edges: Edge[] = [];
      for (let l = 0; l < 4; l++) {
        const size = 3 + Math.floor(rand() * 3);
        layers.push(
          Array.from(
            { length: size },
            (_, i) => `L${l}_${String.fromCharCode(97 + Math.floor(rand() * 26))}${i}`,
          ),
        );
        if (l === 0) continue;
        for (const child of layers[l]) {
          const above = layers[l - 1];
          edges.push([above[Math.floor(rand() * above.length)], child]);
          for (const parent of above)
            if (rand() < 0.25 && !edges.some((e) => e[0] === parent && e[1] === child))
              edges.push([parent, child]);
        }
      }
      const ids = layers.flat();
      const byName = (layer: string[]) => new Map([...layer].sort().map((id, i) => [id, i]));
      let nameSorted = 0;
      for (let l = 1; l < layers.length; l++) {
        const up = byName(layers[l - 1]);
        const down = byName(layers[l]);
        const pairs = edges
          .filter((e) => down.has(e[1]))
          .map((e) => [up.get(e[0])!, down.get(e[1])!] as [number, number]);
        for (let i = 0; i < pairs.length; i++)
          for (let j = i + 1; j < pairs.length; j++)
            if ((pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0) nameSorted++;
      }
      const layout = layoutLineage(
        ids.map((id) => node(id)),
        edges,
      );
      expect(layout.crossings).toBeLessThanOrEqual(nameSorted);
      expect(layout.crossings).toBe(bruteCrossings(layout, edges));
      // Input order does not matter.
      const shuffled = layoutLineage(
        [...ids].reverse().map((id) => node(id)),
        [...edges].reverse(),
      );
      const byId = (l: LineageLayout) => [...l.nodes].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(shuffled)).toEqual(byId(layout));
      expect(shuffled.crossings).toBe(layout.crossings);
    }
  });

  it('routes a long edge through one bend per layer it spans', () => {
    const ids = ['src', 'm1', 'm2', 'm3'];
    const edges: Edge[] = [
      ['src', 'm1'],
      ['m1', 'm2'],
      ['m2', 'm3'],
      ['src', 'm3'],
    ];
    const layout = layoutLineage([node('src', 'source'), node('m1'), node('m2'), node('m3')], edges);
    const long = layout.edges.find((e) => e.from === 'src' && e.to === 'm3')!;
    expect(long.points).toHaveLength(2 + 2 * 2);
    const xs = long.points.map((p) => p[0]);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(layout.nodes.find((n) => n.id === 'src')!.layer).toBe(0);
    expect(ids.every((id) => layout.nodes.some((n) => n.id === id))).toBe(true);
  });

  it('drops edges to unknown nodes and self loops, and names a cycle', () => {
    const layout = layoutLineage(
      [node('a'), node('b')],
      [
        ['a', 'b'],
        ['a', 'ghost'],
        ['b', 'b'],
        ['a', 'b'],
      ],
    );
    expect(layout.edges.map((e) => [e.from, e.to])).toEqual([['a', 'b']]);
    expect(() =>
      longestPathLayers(
        ['a', 'b'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow(MartqlError);
    expect(() =>
      longestPathLayers(
        ['a', 'b'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow(/cycle through a, b/);
    expect(layoutLineage([], []).nodes).toEqual([]);
  });
});
