/**
 * A 2,000-node project (models in folders, tests on a third of them, sources): selection and
 * execution levels at that scale against brute-force oracles. Speed is not asserted here (timed
 * unit tests flake on a loaded machine; benchmarks live in bench/); the figures are printed with
 * MARTQL_PERF=1.
 */
import { buildManifest } from '../../src/graph/build-manifest';
import { executionLevels } from '../../src/graph/levels';
import { select } from '../../src/graph/selector/select';
import { node, rng, source } from './helpers';

function project(n: number) {
  const r = rng(42);
  const sources = Array.from({ length: 50 }, (_, i) => source('raw', `t${i}`));
  const nodes = [];
  for (let i = 0; i < n; i++) {
    const refs = new Set<string>();
    for (let k = 0; k < 3 && i > 0; k++) refs.add(`m${Math.floor(r() * i)}`);
    nodes.push(
      node({
        name: `m${i}`,
        folder: ['staging', 'intermediate', 'marts'][i % 3],
        refs: [...refs],
        sources: i < 50 ? [`raw.t${i}`] : [],
        config: { tags: i % 7 === 0 ? ['daily'] : [], materialized: i % 5 === 0 ? 'incremental' : 'view' },
      }),
    );
    if (i % 3 === 0)
      nodes.push(node({ name: `not_null_m${i}_id`, type: 'test', refs: [`m${i}`], testName: 'not_null' }));
  }
  return { nodes, sources };
}

function median(fn: () => void, runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** Brute force: every model reachable from `start` by following `next` (names), `start` excluded. */
function reach(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...(next.get(name) ?? []));
  }
  return seen;
}

it('selects and orders a 2,000-model project as brute force does', () => {
  const { nodes, sources } = project(2000);
  const input = { nodes, sources, macros: [], rootPackage: 'proj' };
  const manifest = buildManifest(input);
  const build = median(() => buildManifest(input));
  const selections = [
    '+m1500+',
    'tag:daily,path:models/marts',
    '@m1000',
    'config.materialized:incremental+1',
    'stg*',
  ];
  const sel = median(() => {
    for (const s of selections) select(manifest, { select: [s], exclude: ['m3+2'] });
  });
  const all = select(manifest, {});
  const levels = median(() => executionLevels(manifest, all));
  if (process.env.MARTQL_PERF) {
    console.log(
      `nodes=${manifest.nodes.size} build=${build.toFixed(2)}ms ` +
        `select(x${selections.length})=${sel.toFixed(2)}ms levels=${levels.toFixed(2)}ms`,
    );
  }

  // '+m1500+': the model, its ancestors and its descendants, by brute force over the refs.
  const models = nodes.filter((n) => n.resourceType === 'model');
  const up = new Map(models.map((n) => [n.name, n.refs.map((r) => r.name)]));
  const down = new Map<string, string[]>();
  for (const [name, parents] of up)
    for (const parent of parents) down.set(parent, [...(down.get(parent) ?? []), name]);
  const expected = new Set(['m1500', ...reach('m1500', up), ...reach('m1500', down)]);
  const picked = [...select(manifest, { select: ['+m1500+'] })]
    .filter((id) => id.startsWith('model.'))
    .map((id) => id.split('.').pop());
  expect(new Set(picked)).toEqual(expected);

  // Levels: every node after all of its parents, every selected node (sources aside) placed.
  const order = executionLevels(manifest, all);
  const levelOf = new Map<string, number>();
  order.forEach((level, i) => level.forEach((id) => levelOf.set(id, i)));
  const runnable = [...all].filter((id) => !id.startsWith('source.'));
  expect(new Set(levelOf.keys())).toEqual(new Set(runnable));
  for (const id of all)
    for (const parent of manifest.parents.get(id) ?? [])
      if (levelOf.has(parent)) expect(levelOf.get(parent)!).toBeLessThan(levelOf.get(id)!);
});
