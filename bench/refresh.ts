/**
 * Incremental refresh against a full rebuild, and the example build on PGlite against Postgres.
 *
 * Refresh: generate the example data (default ~1,000,000 touchpoints), build, simulate about 1% more
 * (late touchpoints and updated orders included), then time an incremental run of fct_attribution
 * and cohort_retention against a --full-refresh of the same models, and check both leave identical
 * rows. Build: the whole example project from scratch on embedded PGlite and on Postgres.
 *
 * Run alone: `npx tsx bench/refresh.ts [--customers 108000] [--days 365]` (Postgres from
 * DATABASE_URL, default the local server).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { martql } from './martql';
import { printTable, type BenchRow } from './table';

const ROOT = path.resolve(__dirname, '..');
const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

// The generator is not part of the public API; benchmarks load it beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen: typeof import('../src/generate') = require('../src/generate');

type Warehouse = Awaited<ReturnType<typeof martql.openWarehouse>>;

async function digest(wh: Warehouse, sql: string): Promise<string> {
  const { rows } = await wh.query(sql);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
}

const DIGESTS: Record<string, string> = {
  fct_attribution: `select conversion_id, touchpoint_id, attribution_model, weight::text, attributed_value::text
    from bench.fct_attribution order by 1, 2, 3`,
  cohort_retention: `select cohort_type, cohort_start::text, period_number, active_users, retention_rate::text
    from bench.cohort_retention order by 1, 2, 3`,
};

async function timeRun(wh: Warehouse, select: string[], fullRefresh: boolean): Promise<number> {
  const started = performance.now();
  const summary = await martql.runProject({
    projectDir: ROOT,
    command: 'run',
    warehouse: wh,
    select,
    fullRefresh,
    vars: { raw_schema: 'bench_raw' },
    target: { ...martql.targetFromEnv({}), schema: 'bench' },
    stateSchema: 'bench_state',
    noParseCache: true,
  });
  if (!summary.success) throw new Error(`run failed: ${summary.results.map((r) => r.message).join('; ')}`);
  return performance.now() - started;
}

async function buildExample(wh: Warehouse, customers: number, days: number): Promise<number> {
  await gen.generate(wh, { customers, days, seed: 42, schema: 'bench_raw' });
  const started = performance.now();
  const summary = await martql.runProject({
    projectDir: ROOT,
    command: 'build',
    warehouse: wh,
    vars: { raw_schema: 'bench_raw' },
    target: { ...martql.targetFromEnv({}), schema: 'bench' },
    stateSchema: 'bench_state',
    noParseCache: true,
  });
  if (!summary.success) throw new Error('example build failed');
  return performance.now() - started;
}

export async function benchRefresh(customers: number, days: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  process.env.MARTQL_STATE_SCHEMA = 'bench_state';
  const wh = await martql.openWarehouse({ url: URL });
  try {
    for (const schema of ['bench', 'bench_raw', 'bench_state'])
      await wh.query(`drop schema if exists ${schema} cascade`);
    const buildMs = await buildExample(wh, customers, days);
    const touchpoints = (
      await wh.query<{ n: number }>('select count(*)::int as n from bench_raw.touchpoints')
    ).rows[0].n;
    // About 1% more activity: a few days of a year.
    await gen.simulate(wh, { days: Math.max(1, Math.round(days / 100)), schema: 'bench_raw' });
    for (const model of ['fct_attribution', 'cohort_retention']) {
      const incremental = await timeRun(wh, [model], false);
      const afterIncremental = await digest(wh, DIGESTS[model]);
      const full = await timeRun(wh, [model], true);
      const afterFull = await digest(wh, DIGESTS[model]);
      rows.push({
        what: `${model}: incremental refresh after ~1% new data (${touchpoints.toLocaleString()} touchpoints), ${afterIncremental === afterFull ? 'identical rows' : 'ROWS DIFFER'}`,
        martql: `${(incremental / 1000).toFixed(2)} s`,
        baseline: `${(full / 1000).toFixed(2)} s full rebuild`,
        ratio: incremental / full,
        target: '<= 0.05',
      });
    }
    rows.push({
      what: `example build (34 nodes) on Postgres, ${customers.toLocaleString()} customers`,
      martql: `${(buildMs / 1000).toFixed(1)} s`,
      baseline: '',
      ratio: 1,
      target: 'reference for the PGlite row',
    });
    const pglite = await martql.openWarehouse({});
    try {
      const pgliteMs = await buildExample(pglite, customers, days);
      rows.push({
        what: `example build (34 nodes) on embedded PGlite, same data`,
        martql: `${(pgliteMs / 1000).toFixed(1)} s`,
        baseline: `${(buildMs / 1000).toFixed(1)} s on Postgres`,
        ratio: pgliteMs / buildMs,
        target: 'informational',
      });
    } finally {
      await pglite.close();
    }
    for (const schema of ['bench', 'bench_raw', 'bench_state'])
      await wh.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await wh.close();
  }
  return rows;
}

if (require.main === module) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  benchRefresh(arg('--customers', 108_000), arg('--days', 365))
    .then((rows) => printTable('incremental refresh and embedded vs server', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
