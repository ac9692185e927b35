/**
 * `invocations`: one row per `martql` command or GraphQL-triggered refresh, opened when it starts
 * and closed with its outcome and counts. With several API replicas, `process` says which ran it.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Session } from '../warehouse';
import { iso, json, Params } from './sql';
import type {
  Invocation,
  InvocationCounts,
  InvocationFinish,
  InvocationStart,
  InvocationStatus,
  RunTrigger,
} from './types';

/** Inserts the invocation as 'running'; returns its id (generated when not given). */
export async function insertInvocation(
  session: Session,
  s: string,
  start: InvocationStart,
  martqlVersion: string | null,
): Promise<string> {
  const invocationId = start.invocationId ?? randomUUID();
  const p = new Params();
  await session.query(
    `insert into ${s}.invocations
      (invocation_id, command, args, trigger, target, martql_version, process, started_at)
    values (${p.add(invocationId)}, ${p.add(start.command)}, ${p.add(json(start.args ?? {}), 'jsonb')},
      ${p.add(start.trigger)}, ${p.add(start.target)}, ${p.add(martqlVersion)},
      ${p.add(`${hostname()}:${process.pid}`)}, coalesce(${p.add(start.startedAt, 'timestamptz')}, clock_timestamp()))`,
    p.values,
  );
  return invocationId;
}

/**
 * Closes the invocation in one UPDATE. Without explicit counts they are counted from the
 * invocation's run_history rows, the same way dbt's summary line counts: success and pass are PASS,
 * error and fail are ERROR.
 */
export async function updateInvocationFinished(
  session: Session,
  s: string,
  finish: InvocationFinish,
): Promise<void> {
  const p = new Params();
  const id = p.add(finish.invocationId);
  const given = finish.counts;
  const count = (statuses: string[], explicit: number | undefined) =>
    given
      ? p.add(explicit, 'integer')
      : `(select count(*) from ${s}.run_history h where h.invocation_id = ${id}
          and h.status in (${statuses.map((st) => `'${st}'`).join(', ')}))`;
  await session.query(
    `update ${s}.invocations set
      status = ${p.add(finish.status)},
      completed_at = coalesce(${p.add(finish.completedAt, 'timestamptz')}, clock_timestamp()),
      pass_count = ${count(['success', 'pass'], given?.pass)},
      warn_count = ${count(['warn'], given?.warn)},
      error_count = ${count(['error', 'fail'], given?.error)},
      skip_count = ${count(['skipped'], given?.skip)}
    where invocation_id = ${id}`,
    p.values,
  );
}

interface InvocationSqlRow {
  invocation_id: string;
  command: string;
  args: Record<string, unknown>;
  trigger: RunTrigger;
  target: string | null;
  martql_version: string | null;
  process: string | null;
  status: InvocationStatus;
  started_at: string;
  completed_at: string | null;
  pass_count: number | null;
  warn_count: number | null;
  error_count: number | null;
  skip_count: number | null;
}

export async function selectInvocation(
  session: Session,
  s: string,
  invocationId: string,
): Promise<Invocation | null> {
  const { rows } = await session.query<InvocationSqlRow>(
    `select invocation_id, command, args, trigger, target, martql_version, process, status,
      ${iso('started_at')} as started_at, ${iso('completed_at')} as completed_at,
      pass_count, warn_count, error_count, skip_count
    from ${s}.invocations where invocation_id = $1`,
    [invocationId],
  );
  return rows.length > 0 ? toInvocation(rows[0]) : null;
}

function toInvocation(r: InvocationSqlRow): Invocation {
  const counts: InvocationCounts | null =
    r.pass_count === null
      ? null
      : { pass: r.pass_count, warn: r.warn_count ?? 0, error: r.error_count ?? 0, skip: r.skip_count ?? 0 };
  return {
    invocationId: r.invocation_id,
    command: r.command,
    args: r.args,
    trigger: r.trigger,
    target: r.target,
    martqlVersion: r.martql_version,
    process: r.process,
    status: r.status,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    counts,
  };
}
