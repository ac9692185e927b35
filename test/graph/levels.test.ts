import { MartqlError } from '../../src/errors';
import { buildManifest } from '../../src/graph/build-manifest';
import { executionLevels, topoSort } from '../../src/graph/levels';
import type { Manifest } from '../../src/graph/types';
import { node, rng, source } from './helpers';

const short = (levels: string[][]) => levels.map((l) => l.map((id) => id.split('.').pop()));

describe('executionLevels', () => {
  // a -> b -> d ; a -> c -> d ; e (alone) ; t tests d ; raw.x -> a
  const m = buildManifest({
    rootPackage: 'proj',
    macros: [],
    sources: [source('raw', 'x')],
    nodes: [
      node({ name: 'd', refs: ['c', 'b'] }),
      node({ name: 'c', refs: ['a'] }),
      node({ name: 'b', refs: ['a'] }),
      node({ name: 'a', sources: ['raw.x'] }),
      node({ name: 'e' }),
      node({ name: 't', type: 'test', refs: ['d'] }),
    ],
  });

  it('levels every node after its parents, sorted within a level', () => {
    expect(short(executionLevels(m, new Set(m.nodes.keys())))).toEqual([
      ['a', 'e'],
      ['b', 'c'],
      ['d'],
      ['t'],
    ]);
  });

  it('keeps order through unselected nodes and ignores sources', () => {
    const ids = new Set(['model.proj.a', 'model.proj.d', 'source.proj.raw.x']);
    expect(short(executionLevels(m, ids))).toEqual([['a'], ['d']]);
    expect(short(executionLevels(m, new Set(['model.proj.d', 'model.proj.e'])))).toEqual([['d', 'e']]);
    expect(executionLevels(m, new Set())).toEqual([]);
  });

  it('topoSort flattens the levels', () => {
    expect(topoSort(m).map((id) => id.split('.').pop())).toEqual(['a', 'e', 'b', 'c', 'd', 't']);
  });

  it('rejects a hand-made cyclic manifest', () => {
    const bad: Manifest = {
      nodes: new Map(),
      sources: new Map(),
      macros: new Map(),
      parents: new Map([
        ['x', ['y']],
        ['y', ['x']],
      ]),
      children: new Map([
        ['x', ['y']],
        ['y', ['x']],
      ]),
    };
    expect(() => executionLevels(bad, new Set(['x']))).toThrow(MartqlError);
  });

  it('respects every edge on random DAGs', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const n = 60;
      const nodes = Array.from({ length: n }, (_, i) =>
        node({
          name: `n${i}`,
          refs: i === 0 ? [] : [...new Set([0, 1, 2].map(() => `n${Math.floor(r() * i)}`))],
        }),
      );
      const dag = buildManifest({ rootPackage: 'proj', macros: [], sources: [], nodes });
      const chosen = new Set([...dag.nodes.keys()].filter(() => r() < 0.5));
      const levels = executionLevels(dag, chosen);
      const levelOf = new Map<string, number>();
      levels.forEach((l, i) => l.forEach((id) => levelOf.set(id, i)));
      expect(levelOf.size).toBe(chosen.size);
      // Every selected ancestor (through any path) sits in an earlier level.
      for (const id of chosen) {
        const stack = [...dag.parents.get(id)!];
        const seen = new Set<string>();
        while (stack.length) {
          const p = stack.pop()!;
          if (seen.has(p)) continue;
          seen.add(p);
          if (chosen.has(p)) expect(levelOf.get(p)!).toBeLessThan(levelOf.get(id)!);
          stack.push(...dag.parents.get(p)!);
        }
      }
    }
  });

  it('handles a 10,000-node chain', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) =>
      node({ name: `c${i}`, refs: i ? [`c${i - 1}`] : [] }),
    );
    const chain = buildManifest({ rootPackage: 'proj', macros: [], sources: [], nodes });
    expect(executionLevels(chain, new Set(chain.nodes.keys())).length).toBe(10_000);
  });
});
