/**
 * `run_history`: one row per node per invocation, appended as each node finishes, successful or not.
 *
 * The runner writes a row the moment a node ends, so a crash mid-run still leaves the history of
 * what finished, and a failing node leaves its error. Writing is a single INSERT; the table refuses
 * updates (a trigger), and `seq` gives the true append order.
 */
import type { Session } from '../warehouse';
import { iso, json, Params, relationFrom } from './sql';
import type {
  RunHistoryQuery,
  RunHistoryRow,
  RunRecord,
  RunStatus,
  RunTrigger,
  StatementStat,
} from './types';

/** Appends one run; returns its `seq`. */
export async function insertRun(session: Session, s: string, run: RunRecord): Promise<number> {
  const p = new Params();
  const { rows } = await session.query<{ seq: number }>(
    `insert into ${s}.run_history (
      invocation_id, unique_id, resource_type, kind, status, trigger, started_at, completed_at,
      duration_ms, rows_affected, relation_schema, relation_name, materialization, sql_hash,
      statements, error_message, error_code, thread, message
    ) values (
      ${p.add(run.invocationId)}, ${p.add(run.uniqueId)}, ${p.add(run.resourceType)}, ${p.add(run.kind)},
      ${p.add(run.status)}, ${p.add(run.trigger)}, ${p.add(run.startedAt, 'timestamptz')},
      ${p.add(run.completedAt, 'timestamptz')}, ${p.add(run.durationMs, 'float8')},
      ${p.add(run.rowsAffected, 'bigint')}, ${p.add(run.relation?.schema)}, ${p.add(run.relation?.name)},
      ${p.add(run.materialization)}, ${p.add(run.sqlHash)}, ${p.add(json(run.statements ?? []), 'jsonb')},
      ${p.add(run.error?.message)}, ${p.add(run.error?.code)}, ${p.add(run.thread)}, ${p.add(run.message)}
    ) returning seq`,
    p.values,
  );
  return rows[0].seq;
}

interface RunHistorySqlRow {
  seq: number;
  invocation_id: string;
  unique_id: string;
  resource_type: string;
  kind: string;
  status: RunStatus;
  trigger: RunTrigger;
  started_at: string;
  completed_at: string;
  duration_ms: number;
  rows_affected: number | null;
  relation_schema: string | null;
  relation_name: string | null;
  materialization: string | null;
  sql_hash: string | null;
  statements: StatementStat[];
  error_message: string | null;
  error_code: string | null;
  thread: string | null;
  message: string | null;
}

/** Newest first (by `seq`), filtered by node, invocation, status, trigger and start time; at most `limit` rows. */
export async function selectRunHistory(
  session: Session,
  s: string,
  q: RunHistoryQuery,
): Promise<RunHistoryRow[]> {
  const p = new Params();
  const where: string[] = [];
  if (q.uniqueId !== undefined) where.push(`unique_id = ${p.add(q.uniqueId)}`);
  if (q.invocationId !== undefined) where.push(`invocation_id = ${p.add(q.invocationId)}`);
  if (q.status !== undefined) where.push(`status = ${p.add(q.status)}`);
  if (q.trigger !== undefined) where.push(`trigger = ${p.add(q.trigger)}`);
  if (q.since !== undefined) where.push(`started_at >= ${p.add(q.since, 'timestamptz')}`);
  if (q.beforeSeq !== undefined) where.push(`seq < ${p.add(q.beforeSeq, 'bigint')}`);
  const { rows } = await session.query<RunHistorySqlRow>(
    `select seq, invocation_id, unique_id, resource_type, kind, status, trigger,
      ${iso('started_at')} as started_at, ${iso('completed_at')} as completed_at, duration_ms,
      rows_affected, relation_schema, relation_name, materialization, sql_hash, statements,
      error_message, error_code, thread, message
    from ${s}.run_history
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
    order by seq desc
    limit ${p.add(Math.max(0, Math.floor(q.limit)), 'integer')}`,
    p.values,
  );
  return rows.map(toRunHistoryRow);
}

function toRunHistoryRow(r: RunHistorySqlRow): RunHistoryRow {
  return {
    seq: r.seq,
    invocationId: r.invocation_id,
    uniqueId: r.unique_id,
    resourceType: r.resource_type,
    kind: r.kind,
    status: r.status,
    trigger: r.trigger,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    durationMs: r.duration_ms,
    rowsAffected: r.rows_affected,
    relation: relationFrom(r.relation_schema, r.relation_name),
    materialization: r.materialization,
    sqlHash: r.sql_hash,
    statements: r.statements,
    error: r.error_message !== null ? { message: r.error_message, code: r.error_code } : null,
    thread: r.thread,
    message: r.message,
  };
}

/**
 * Deletes runs that started before `before` (retention); returns how many. The append-only trigger
 * lets this through only inside this transaction, via a transaction-local setting.
 */
export async function pruneRunHistory(tx: Session, s: string, before: Date | string): Promise<number> {
  await tx.query(`select set_config('martql.prune_history', 'on', true)`);
  const { rowCount } = await tx.query(`delete from ${s}.run_history where started_at < $1::timestamptz`, [
    before,
  ]);
  return rowCount;
}
