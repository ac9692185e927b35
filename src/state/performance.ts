/**
 * Per-node performance over a window of days, computed in SQL from `run_history` (the GraphQL
 * `modelPerformance(days)` query): one aggregate pass over the window, no rows shipped to Node.
 *
 * Definitions (the tests check them against a brute-force reference):
 * - the window is runs that *started* within the last `days` days of the database clock;
 * - runs counts executed runs; a skipped node did not run and is counted in `skips` only;
 * - successes are success/pass/warn (a warning test still ran to completion), failures error/fail;
 * - durations and rows are over successful runs: a build that fails fast says nothing about how long
 *   the model takes; p50/p95 are `percentile_cont`, linear interpolation between closest ranks;
 * - lastBuiltAt is the latest successful completion, lastStatus the status of the latest row (by seq).
 */
import type { Session } from '../warehouse';
import { iso, json, Params } from './sql';
import type { ModelPerformance, PerformanceQuery, RunStatus } from './types';

const OK = `status in ('success', 'pass', 'warn')`;

interface PerformanceSqlRow {
  unique_id: string;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  avg_duration_ms: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
  max_duration_ms: number | null;
  avg_rows: number | null;
  last_built_at: string | null;
  last_run_at: string;
  last_status: RunStatus;
}

export async function selectModelPerformance(
  session: Session,
  s: string,
  q: PerformanceQuery,
): Promise<ModelPerformance[]> {
  const p = new Params();
  const resourceTypes = q.resourceTypes ?? ['model', 'seed', 'snapshot'];
  const { rows } = await session.query<PerformanceSqlRow>(
    `select unique_id,
      count(*) filter (where status <> 'skipped') as runs,
      count(*) filter (where ${OK}) as successes,
      count(*) filter (where status in ('error', 'fail')) as failures,
      count(*) filter (where status = 'skipped') as skips,
      avg(duration_ms) filter (where ${OK}) as avg_duration_ms,
      percentile_cont(0.5) within group (order by duration_ms) filter (where ${OK}) as p50_duration_ms,
      percentile_cont(0.95) within group (order by duration_ms) filter (where ${OK}) as p95_duration_ms,
      max(duration_ms) filter (where ${OK}) as max_duration_ms,
      (avg(rows_affected) filter (where ${OK}))::float8 as avg_rows,
      ${iso(`max(completed_at) filter (where ${OK})`)} as last_built_at,
      ${iso('max(completed_at)')} as last_run_at,
      (array_agg(status order by seq desc))[1] as last_status
    from ${s}.run_history
    where started_at >= now() - ${p.add(q.days, 'float8')} * interval '1 day'
      and resource_type in (select jsonb_array_elements_text(${p.add(json(resourceTypes), 'jsonb')}))
    group by unique_id
    order by unique_id collate "C"`,
    p.values,
  );
  return rows.map((r) => ({
    uniqueId: r.unique_id,
    runs: r.runs,
    successes: r.successes,
    failures: r.failures,
    skips: r.skips,
    avgDurationMs: r.avg_duration_ms,
    p50DurationMs: r.p50_duration_ms,
    p95DurationMs: r.p95_duration_ms,
    maxDurationMs: r.max_duration_ms,
    avgRows: r.avg_rows,
    lastBuiltAt: r.last_built_at,
    lastRunAt: r.last_run_at,
    lastStatus: r.last_status,
  }));
}
