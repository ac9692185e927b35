/**
 * `test_results`: the outcome of each data test in each invocation, with the node it is attached to,
 * so a model's GraphQL `meta.tests` can say how its tests stand without reading run history.
 */
import type { Session } from '../warehouse';
import { iso, json, Params } from './sql';
import type { TestResultRecord, TestSummary } from './types';

/** Appends one result; returns its `seq`. */
export async function insertTestResult(session: Session, s: string, t: TestResultRecord): Promise<number> {
  const p = new Params();
  const { rows } = await session.query<{ seq: number }>(
    `insert into ${s}.test_results (
      invocation_id, unique_id, attached_node, column_name, status, failures, severity, duration_ms,
      message, store_failures_schema, store_failures_name, completed_at
    ) values (
      ${p.add(t.invocationId)}, ${p.add(t.uniqueId)}, ${p.add(t.attachedNode)}, ${p.add(t.columnName)},
      ${p.add(t.status)}, ${p.add(t.failures, 'bigint')}, ${p.add(t.severity)}, ${p.add(t.durationMs, 'float8')},
      ${p.add(t.message)}, ${p.add(t.storeFailures?.schema)}, ${p.add(t.storeFailures?.name)},
      coalesce(${p.add(t.completedAt, 'timestamptz')}, clock_timestamp())
    ) returning seq`,
    p.values,
  );
  return rows[0].seq;
}

interface TestSummarySqlRow {
  attached_node: string;
  passed: number;
  failed: number;
  warned: number;
  last_run_at: string;
}

/**
 * For each node, the latest result of every test attached to it, counted: a test that failed
 * yesterday and passes today counts as passed. Nodes with no tests are absent from the map.
 */
export async function selectTestSummaries(
  session: Session,
  s: string,
  attachedNodes: readonly string[],
): Promise<Map<string, TestSummary>> {
  if (attachedNodes.length === 0) return new Map();
  const p = new Params();
  const { rows } = await session.query<TestSummarySqlRow>(
    `select attached_node,
      count(*) filter (where status = 'pass') as passed,
      count(*) filter (where status in ('fail', 'error')) as failed,
      count(*) filter (where status = 'warn') as warned,
      ${iso('max(completed_at)')} as last_run_at
    from (
      select distinct on (attached_node, unique_id) attached_node, status, completed_at
      from ${s}.test_results
      where attached_node in (select jsonb_array_elements_text(${p.add(json(attachedNodes), 'jsonb')}))
        and status <> 'skipped'
      order by attached_node, unique_id, seq desc
    ) latest
    group by attached_node`,
    p.values,
  );
  return new Map(
    rows.map((r) => [
      r.attached_node,
      {
        attachedNode: r.attached_node,
        passed: r.passed,
        failed: r.failed,
        warned: r.warned,
        lastRunAt: r.last_run_at,
      },
    ]),
  );
}
