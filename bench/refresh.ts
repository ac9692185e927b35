/**
 * Incremental refresh against a full rebuild, and the example build on PGlite against Postgres.
 *
 * Refresh: generate the example data (default ~1,000,000 touchpoints), build, simulate about 1% more
 * (late touchpoints and updated orders included), then time an incremental refresh of
 * fct_attribution and of cohort_retention against a --full-refresh of the same models, and check
 * both leave identical rows (compared in the database, both ways, as multisets: millions of rows do
 * not fit in one JavaScript string). A refresh of a mart runs the mart and every table upstream of
 * it (views and ephemeral models read their inputs live), as refresh-on-read does when those are
 * stale, which after `simulate` they all are; both the incremental and the full timing cover the
 * whole set. cohort_retention keeps its per-customer state in a table of its own
 * (cohort_retention__cohort_users, written by its hooks), compared too. Each
 * run's statements are printed with their times, so the part of a run spent outside SQL (loading
 * the project, run bookkeeping) shows. Build: the whole example project from scratch on embedded
 * PGlite and on Postgres.
 *
 * The raw tables get an index on `_loaded_at` after `generate`, as the loader of an append-only
 * raw layer keeps one (the generator writes bare heaps, for load speed): the sources' freshness
 * probe (`max(_loaded_at)`) and the models' reads of rows loaded since their watermark use it.
 *
 * Run alone: `npx tsx bench/refresh.ts [--customers 108000] [--days 365] [--rounds 3] [--no-pglite]
 * [--marts cohort_retention]` (Postgres from DATABASE_URL, default the local server; --no-pglite
 * skips the PGlite build; --marts refreshes only the marts named, comma-separated).
 */
import * as os from 'node:os';
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
  cohort_retention__cohort_users: `user_id, first_week, last_week, first_month, last_month, first_quarter,
    last_quarter`,
};

/** Tables a mart's refresh writes besides its models' relations (a model's own state). */
const WRITTEN_WITH: Record<string, string[]> = { cohort_retention: ['cohort_retention__cohort_users'] };

const MARTS = ['fct_attribution', 'cohort_retention'];

/** A refresh of `model`: it and the tables upstream of it (what refresh-on-read rebuilds when stale). */
const refreshSet = (model: string) => ({
  select: [`+${model}`],
  exclude: ['config.materialized:view', 'config.materialized:ephemeral'],
});

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
  models: string[];
  statements: { sql: string; rowCount: number; ms: number }[];
}

function printStatements(label: string, run: TimedRun): void {
  const sqlMs = run.statements.reduce((sum, s) => sum + s.ms, 0);
  console.log(
    `${label}: ${(run.ms / 1000).toFixed(2)} s, of which SQL ${(sqlMs / 1000).toFixed(2)} s; ${run.models.join(', ')}`,
  );
  const small = run.statements.filter((s) => s.ms < 10);
  for (const s of run.statements.filter((s) => s.ms >= 10)) {
    const sql = s.sql.replace(/\s+/g, ' ').trim().slice(0, 90);
    console.log(`  ${s.ms.toFixed(0).padStart(7)} ms ${String(s.rowCount).padStart(9)} rows  ${sql}`);
  }
  const smallMs = small.reduce((sum, s) => sum + s.ms, 0);
  if (small.length > 0)
    console.log(`  ${smallMs.toFixed(0).padStart(7)} ms in ${small.length} statements of under 10 ms`);
}

async function timeRun(wh: Warehouse, model: string, fullRefresh: boolean): Promise<TimedRun> {
  const started = performance.now();
  const summary = await martql.runProject({
    projectDir: ROOT,
    command: 'run',
    warehouse: wh,
    ...refreshSet(model),
    fullRefresh,
    vars: { raw_schema: 'bench_raw' },
    target: { ...martql.targetFromEnv({}), schema: 'bench' },
    stateSchema: 'bench_state',
    noParseCache: true,
  });
  const ms = performance.now() - started;
  if (!summary.success) throw new Error(`run failed: ${summary.results.map((r) => r.message).join('; ')}`);
  return {
    ms,
    models: summary.results.map((r) => `${r.name} (${r.kind})`),
    statements: summary.results.flatMap((r) => r.statements ?? []),
  };
}

/** The loader's index on each raw table's `_loaded_at`, and fresh statistics, after `generate`. */
async function indexRawTables(wh: Warehouse): Promise<number> {
  const started = performance.now();
  for (const table of ['customers', 'orders', 'touchpoints', 'product_usage']) {
    await wh.query(`create index if not exists ${table}__loaded_at on bench_raw.${table} (_loaded_at)`);
    await wh.query(`analyze bench_raw.${table}`);
  }
  return performance.now() - started;
}

async function buildExample(
  wh: Warehouse,
  customers: number,
  days: number,
): Promise<{ ms: number; nodes: number }> {
  await gen.generate(wh, { customers, days, seed: 42, schema: 'bench_raw' });
  console.log(
    `index on _loaded_at and ANALYZE of the raw tables: ${(await indexRawTables(wh)).toFixed(0)} ms`,
  );
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
  return { ms: performance.now() - started, nodes: summary.results.length };
}

export async function benchRefresh(
  customers: number,
  days: number,
  options: { pglite?: boolean; rounds: number; marts?: string[] } = { rounds: 3 },
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  process.env.MARTQL_STATE_SCHEMA = 'bench_state';
  const wh = await martql.openWarehouse({ url: URL });
  try {
    for (const schema of ['bench', 'bench_raw', 'bench_state'])
      await wh.query(`drop schema if exists ${schema} cascade`);
    const { ms: buildMs, nodes } = await buildExample(wh, customers, days);
    const touchpoints = (
      await wh.query<{ n: number }>('select count(*)::int as n from bench_raw.touchpoints')
    ).rows[0].n;
    // Rounds of: about 1% more activity (a few days of a year), then each model refreshed
    // incrementally and rebuilt in full, turn by turn, so bursts of other work on the machine land
    // on both; the table shows the median round.
    const rounds: Record<string, { incremental: number; full: number; differing: number; label: string }[]> =
      {};
    for (let round = 1; round <= options.rounds; round++) {
      const simulated = await gen.simulate(wh, {
        days: Math.max(1, Math.round(days / 100)),
        schema: 'bench_raw',
      });
      console.log(
        `round ${round}: simulate ${JSON.stringify(simulated.rows)}, ${simulated.lateTouchpoints} late ` +
          `touchpoints, ${simulated.updatedOrders} updated orders; load average ${os.loadavg()[0].toFixed(1)}`,
      );
      for (const model of options.marts ?? MARTS) {
        const incremental = await timeRun(wh, model, false);
        printStatements(`${model} incremental`, incremental);
        const compared = [
          ...incremental.models.map((m) => m.split(' ')[0]).filter((m) => COMPARED[m]),
          ...(WRITTEN_WITH[model] ?? []),
        ];
        for (const m of compared) await keepRows(wh, m);
        const full = await timeRun(wh, model, true);
        printStatements(`${model} full rebuild`, full);
        let differing = 0;
        for (const m of compared) {
          const diff = await compareRows(wh, m);
          if (diff.differing > 0) console.log(`${m}: ${diff.differing} rows differ`);
          differing += diff.differing;
        }
        const count = (await wh.query<{ n: number }>(`select count(*)::int as n from bench.${model}`)).rows[0]
          .n;
        const label =
          incremental.models.length > 1
            ? `${model} with ${incremental.models.length - 1} upstream table(s)`
            : model;
        console.log(
          `${model} round ${round}: ${(incremental.ms / 1000).toFixed(2)} s / ${(full.ms / 1000).toFixed(2)} s = ` +
            `${(incremental.ms / full.ms).toFixed(3)}, ${differing === 0 ? `identical rows (${count})` : `${differing} ROWS DIFFER`}`,
        );
        (rounds[model] ??= []).push({ incremental: incremental.ms, full: full.ms, differing, label });
      }
    }
    for (const all of Object.values(rounds)) {
      const sorted = [...all].sort((a, b) => a.incremental / a.full - b.incremental / b.full);
      const median = sorted[Math.floor(sorted.length / 2)];
      const differing = all.reduce((sum, r) => sum + r.differing, 0);
      const ratio = median.incremental / median.full;
      rows.push({
        what: `${median.label}: incremental refresh after ~1% new data (${touchpoints.toLocaleString()} touchpoints), median of ${all.length} rounds (ratios ${all.map((r) => (r.incremental / r.full).toFixed(3)).join(', ')}), ${differing === 0 ? 'identical rows in every round' : `${differing} ROWS DIFFER`}`,
        martql: `${(median.incremental / 1000).toFixed(2)} s (${(ratio * 100).toFixed(1)}%)`,
        baseline: `${(median.full / 1000).toFixed(2)} s full rebuild`,
        ratio,
        target: '<= 0.05',
      });
    }
    rows.push({
      what: `example build (${nodes} nodes) on Postgres, ${customers.toLocaleString()} customers`,
      martql: `${(buildMs / 1000).toFixed(1)} s`,
      baseline: '',
      ratio: 1,
      target: 'reference for the PGlite row',
    });
    if (options.pglite !== false) {
      const pglite = await martql.openWarehouse({});
      try {
        const { ms: pgliteMs } = await buildExample(pglite, customers, days);
        rows.push({
          what: `example build (${nodes} nodes) on embedded PGlite, same data`,
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
  const marts = process.argv.indexOf('--marts');
  benchRefresh(arg('--customers', 108_000), arg('--days', 365), {
    pglite: !process.argv.includes('--no-pglite'),
    rounds: arg('--rounds', 3),
    ...(marts > 0 ? { marts: process.argv[marts + 1].split(',') } : {}),
  })
    .then((rows) => printTable('incremental refresh and embedded vs server', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
