/**
 * Incremental refresh against a full rebuild, and the example build on PGlite against Postgres.
 *
 * Refresh: generate the example data (default ~1,000,000 touchpoints), build, simulate about 1% more
 * (late touchpoints and updated orders included), then time an incremental run of fct_attribution
 * and cohort_retention against a --full-refresh of the same models, and check both leave identical
 * rows (compared in the database, both ways, as multisets: millions of rows do not fit in one
 * JavaScript string). Each run's statements are printed with their times, so the part of a run
 * spent outside SQL (loading the project, run bookkeeping) shows. Build: the whole example
 * project from scratch on embedded PGlite and on Postgres.
 *
 * Run alone: `npx tsx bench/refresh.ts [--customers 108000] [--days 365] [--no-pglite]` (Postgres
 * from DATABASE_URL, default the local server; --no-pglite skips the PGlite build).
 */
import * as path from 'node:path';
import { martql } from './martql';
import { printTable, type BenchRow } from './table';

const ROOT = path.resolve(__dirname, '..');
const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

// The generator is not part of the public API; benchmarks load it beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen: typeof import('../src/generate') = require('../src/generate');

type Warehouse = Awaited<ReturnType<typeof martql.openWarehouse>>;

/**
 * The columns an incremental run must leave exactly as a full rebuild does (all but the watermark);
 * numbers as text, so that a different scale (0.5 against 0.50) counts as a difference too.
 */
const COMPARED: Record<string, string> = {
  fct_attribution: `conversion_id, customer_id, touchpoint_id, channel, campaign, attribution_model,
    weight::text as weight, attributed_value::text as attributed_value, touched_at, converted_at`,
  cohort_retention: `cohort_type, cohort_start, period_number, period_start, cohort_size, active_users,
    retention_rate::text as retention_rate, unbounded_retention_rate::text as unbounded_retention_rate`,
};

/** Keeps the model's rows as they are now, to compare with a later state. */
async function keepRows(wh: Warehouse, model: string): Promise<void> {
  await wh.query(`drop table if exists bench.${model}__kept`);
  await wh.query(`create table bench.${model}__kept as select ${COMPARED[model]} from bench.${model}`);
}

/** Rows only in the kept copy plus rows only in the table now (multisets), and the row count. */
async function compareRows(wh: Warehouse, model: string): Promise<{ differing: number; rows: number }> {
  const now = `select ${COMPARED[model]} from bench.${model}`;
  const kept = `select * from bench.${model}__kept`;
  const { rows } = await wh.query<{ differing: number; rows: number }>(
    `select (select count(*) from (${kept} except all ${now}) a)::int
          + (select count(*) from (${now} except all ${kept}) b)::int as differing,
            (select count(*) from bench.${model})::int as rows`,
  );
  await wh.query(`drop table bench.${model}__kept`);
  return rows[0];
}

interface TimedRun {
  ms: number;
  statements: { sql: string; rowCount: number; ms: number }[];
}

function printStatements(label: string, run: TimedRun): void {
  const sqlMs = run.statements.reduce((sum, s) => sum + s.ms, 0);
  console.log(`${label}: ${(run.ms / 1000).toFixed(2)} s, of which SQL ${(sqlMs / 1000).toFixed(2)} s`);
  const small = run.statements.filter((s) => s.ms < 10);
  for (const s of run.statements.filter((s) => s.ms >= 10)) {
    const sql = s.sql.replace(/\s+/g, ' ').trim().slice(0, 90);
    console.log(`  ${s.ms.toFixed(0).padStart(7)} ms ${String(s.rowCount).padStart(9)} rows  ${sql}`);
  }
  const smallMs = small.reduce((sum, s) => sum + s.ms, 0);
  if (small.length > 0)
    console.log(`  ${smallMs.toFixed(0).padStart(7)} ms in ${small.length} statements of under 10 ms`);
}

async function timeRun(wh: Warehouse, select: string[], fullRefresh: boolean): Promise<TimedRun> {
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
  const ms = performance.now() - started;
  if (!summary.success) throw new Error(`run failed: ${summary.results.map((r) => r.message).join('; ')}`);
  return { ms, statements: summary.results.flatMap((r) => r.statements ?? []) };
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

export async function benchRefresh(
  customers: number,
  days: number,
  options: { pglite?: boolean } = {},
): Promise<BenchRow[]> {
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
    const simulated = await gen.simulate(wh, {
      days: Math.max(1, Math.round(days / 100)),
      schema: 'bench_raw',
    });
    console.log(
      `simulate: ${JSON.stringify(simulated.rows)}, ${simulated.lateTouchpoints} late touchpoints, ` +
        `${simulated.updatedOrders} updated orders`,
    );
    for (const model of ['fct_attribution', 'cohort_retention']) {
      const incremental = await timeRun(wh, [model], false);
      printStatements(`${model} incremental`, incremental);
      await keepRows(wh, model);
      const full = await timeRun(wh, [model], true);
      printStatements(`${model} full rebuild`, full);
      const { differing, rows: count } = await compareRows(wh, model);
      const ratio = incremental.ms / full.ms;
      rows.push({
        what: `${model}: incremental refresh after ~1% new data (${touchpoints.toLocaleString()} touchpoints), ${differing === 0 ? `identical rows (${count.toLocaleString()})` : `${differing} ROWS DIFFER`}`,
        martql: `${(incremental.ms / 1000).toFixed(2)} s (${(ratio * 100).toFixed(1)}%)`,
        baseline: `${(full.ms / 1000).toFixed(2)} s full rebuild`,
        ratio,
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
    if (options.pglite !== false) {
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
  benchRefresh(arg('--customers', 108_000), arg('--days', 365), {
    pglite: !process.argv.includes('--no-pglite'),
  })
    .then((rows) => printTable('incremental refresh and embedded vs server', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
