/**
 * The messages between the main thread and the warehouse worker.
 *
 * Why a worker: dbt templates call `run_query`, `statement` and `adapter.get_columns_in_relation`
 * and branch on the result in the middle of a render, so the template engine needs a *synchronous*
 * query. Node drivers are asynchronous, so the driver (a `pg` Pool, or PGlite) lives in a worker
 * thread, whose event loop keeps running while the main thread waits.
 *
 * One request shape serves both directions of use:
 *
 *   { id, session, sync, op }  ->  { id, ok: true, value } | { id, ok: false, error }
 *
 * - `session` is 0 for the warehouse itself (any pooled connection) or the id `begin` returned for an
 *   open transaction (its own connection until `commit`/`rollback`).
 * - Asynchronous calls travel over the Worker's own port; the main thread keeps a map id -> promise
 *   and settles it when the reply's `message` event fires. The worker is ref'd only while such a
 *   call is pending, so an idle warehouse never keeps the process alive.
 * - Synchronous calls travel over a second MessageChannel that the main thread never listens on.
 *   The main thread reads a counter in a SharedArrayBuffer, posts the request, and blocks in
 *   `Atomics.wait` until the counter changes. The worker posts the reply on that channel *first*,
 *   then increments the counter and `Atomics.notify`s; since posting enqueues on the receiving port
 *   immediately, the woken main thread finds the reply with `receiveMessageOnPort`. Only one
 *   synchronous call can be in flight (the main thread is blocked), so ids only guard against a
 *   stale reply. A second slot of the buffer is set when the worker exits, so a blocked main thread
 *   wakes up and fails instead of waiting forever.
 *
 * The hazard of blocking the main thread: anything the worker would wait on that only the main
 * thread can finish (an open transaction on PGlite's single connection, a lock held by one of this
 * process's open transactions on Postgres) never finishes. Requests carry `sync` so the drivers can
 * refuse such waits with a WOULD_DEADLOCK error instead (see `gate.ts` and `pg-driver.ts`).
 */
import type { JsonRowEncoding, JsonRows } from './json-rows';
import type { CopyOptions, QueryResult, TableName } from './types';

/** What the worker needs to open the database; passed as `workerData.config`. */
export interface WorkerConfig {
  url?: string;
  dataDir?: string;
  statementTimeoutMs?: number;
  poolSize: number;
  applicationName: string;
}

export interface CopySpec {
  table: TableName;
  columns: string[];
  options: CopyOptions;
}

export type Op =
  | { kind: 'open' }
  | { kind: 'query'; sql: string; params?: unknown[] }
  | { kind: 'queryJson'; sql: string; params?: unknown[]; encoding: JsonRowEncoding }
  | { kind: 'exec'; sql: string }
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'copyBegin'; spec: CopySpec }
  | { kind: 'copyData'; copyId: number; chunk: string | Uint8Array }
  | { kind: 'copyEnd'; copyId: number }
  | { kind: 'copyAbort'; copyId: number; reason: string }
  | { kind: 'lock'; key: string }
  | { kind: 'unlock'; lockId: number }
  | { kind: 'close' };

/** The value each op replies with. */
export interface OpValue {
  open: undefined;
  query: QueryResult;
  queryJson: JsonRows;
  exec: QueryResult;
  begin: number;
  commit: QueryResult;
  rollback: QueryResult;
  copyBegin: number;
  copyData: undefined;
  copyEnd: number;
  copyAbort: undefined;
  lock: number;
  unlock: undefined;
  close: undefined;
}

export interface Request {
  id: number;
  session: number;
  sync: boolean;
  op: Op;
}

/**
 * An error as it crosses the thread boundary (structured clone drops class and extra fields):
 * `database` carries the Postgres ErrorResponse fields, `deadlock` is a refused synchronous wait,
 * `connection` a failure to reach the database, `internal` a misuse or bug.
 */
export interface WireError {
  kind: 'database' | 'deadlock' | 'connection' | 'internal';
  message: string;
  fields: Record<string, string | number | undefined>;
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** Slots of the shared Int32Array. */
export const SYNC_COUNTER = 0;
export const WORKER_EXITED = 1;
