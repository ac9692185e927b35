/**
 * The graph operators checked against naive definitions on random DAGs: `+x` is every node with a
 * path to x, `x+` every node reachable from x, depth limits are shortest-path distances, `@x` is
 * the ancestors of x's descendants.
 */
import { buildManifest } from '../../src/graph/build-manifest';
import { select } from '../../src/graph/selector/select';
import type { Manifest } from '../../src/graph/types';
import { node, rng } from './helpers';

function randomDag(seed: number, n: number): Manifest {
  const r = rng(seed);
  const nodes = Array.from({ length: n }, (_, i) => {
    const refs = new Set<string>();
    const fanIn = Math.floor(r() * 4);
    for (let k = 0; k < fanIn && i > 0; k++) refs.add(`n${Math.floor(r() * i)}`);
    return node({ name: `n${i}`, refs: [...refs], config: { tags: r() < 0.2 ? ['hot'] : [] } });
  });
  return buildManifest({ rootPackage: 'proj', macros: [], sources: [], nodes });
}

/** Distances from `start` along `edges` by naive recursion-free DFS relaxation. */
function distances(edges: Map<string, string[]>, start: string): Map<string, number> {
  const dist = new Map<string, number>([[start, 0]]);
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    for (const next of edges.get(id) ?? []) {
      const d = dist.get(id)! + 1;
      if (!dist.has(next) || dist.get(next)! > d) {
        dist.set(next, d);
        stack.push(next);
      }
    }
  }
  return dist;
}

const within = (dist: Map<string, number>, depth = Infinity) =>
  [...dist].filter(([, d]) => d <= depth).map(([id]) => id);
const sorted = (s: Iterable<string>) => [...s].sort();
const run = (m: Manifest, expr: string) => sorted(select(m, { select: [expr], indirectSelection: 'empty' }));

describe('graph operators against a brute-force reference', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`agrees on random DAG #${seed}`, () => {
      const m = randomDag(seed, 80);
      const r = rng(seed * 7919);
      for (let probe = 0; probe < 8; probe++) {
        const name = `n${Math.floor(r() * 80)}`;
        const id = `model.proj.${name}`;
        const up = distances(m.parents, id);
        const down = distances(m.children, id);
        const depth = 1 + Math.floor(r() * 3);
        expect(run(m, `+${name}`)).toEqual(sorted(within(up)));
        expect(run(m, `${name}+`)).toEqual(sorted(within(down)));
        expect(run(m, `+${name}+`)).toEqual(sorted(new Set([...within(up), ...within(down)])));
        expect(run(m, `${depth}+${name}`)).toEqual(sorted(within(up, depth)));
        expect(run(m, `${name}+${depth}`)).toEqual(sorted(within(down, depth)));
        const at = new Set<string>();
        for (const d of within(down)) for (const a of within(distances(m.parents, d))) at.add(a);
        expect(run(m, `@${name}`)).toEqual(sorted(at));
      }
      // A method with many seeds: the union of the per-seed answers.
      const hot = [...m.nodes.values()].filter((n) => n.config.tags.includes('hot'));
      const union = new Set<string>();
      for (const h of hot) for (const id of within(distances(m.children, h.uniqueId))) union.add(id);
      expect(run(m, 'tag:hot+')).toEqual(sorted(union));
      // Exclusion is set difference.
      const all = new Set(run(m, '+n79'));
      const minus = new Set(run(m, 'n0+'));
      const expected = sorted([...all].filter((id) => !minus.has(id)));
      expect(sorted(select(m, { select: ['+n79'], exclude: ['n0+'], indirectSelection: 'empty' }))).toEqual(
        expected,
      );
    });
  }
});
