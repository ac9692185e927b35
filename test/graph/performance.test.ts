/**
 * A 2,000-node project (models in folders, tests on a third of them, sources) must build and
 * select in a few milliseconds. Bounds are loose so a busy CI machine does not flake; the figures
 * are printed with MARTQL_PERF=1.
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

it('builds and selects a 2,000-model project in milliseconds', () => {
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
  expect(build).toBeLessThan(60);
  expect(sel).toBeLessThan(60);
  expect(levels).toBeLessThan(30);
});
