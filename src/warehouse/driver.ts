/**
 * What the worker asks of a database driver. Two implementations: `pg-driver.ts` (a `pg` Pool) and
 * `pglite-driver.ts` (one embedded PGlite). Session 0 is the warehouse itself; other sessions are
 * open transactions, numbered by `begin`. `sync` marks a request the main thread is blocked on.
 */
import type { CopySpec } from './protocol';
import type { QueryResult } from './types';

export interface CopySink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finishes the COPY; resolves to the number of rows loaded. */
  end(): Promise<number>;
  abort(reason: string): Promise<void>;
}

export interface Driver {
  open(): Promise<void>;
  query(session: number, sql: string, params: unknown[] | undefined, sync: boolean): Promise<QueryResult>;
  /**
   * Each row, as the array of its values' text as Postgres sent it (no type parsing; null for NULL),
   * to `each` as it arrives, so the caller's work on a row overlaps the transfer of the next.
   */
  queryRows(
    session: number,
    sql: string,
    params: unknown[] | undefined,
    each: (values: (string | null)[]) => void,
  ): Promise<void>;
  exec(session: number, sql: string, sync: boolean): Promise<QueryResult>;
  begin(): Promise<number>;
  /** COMMIT or ROLLBACK and release the session; the result's command is 'ROLLBACK' if COMMIT rolled back. */
  end(session: number, commit: boolean): Promise<QueryResult>;
  copy(session: number, spec: CopySpec): Promise<CopySink>;
  /** Takes the cross-process lock for `key`; resolves to the function that releases it. */
  lock(key: string): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Maps a driver result (pg's `Result` or PGlite's `Results`) to a `QueryResult`. */
export function toQueryResult(result: {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  rowCount?: number | null;
  affectedRows?: number;
  command?: string;
}): QueryResult {
  return {
    rows: result.rows as Record<string, unknown>[],
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
    command: result.command ?? '',
  };
}

export const EMPTY_RESULT: QueryResult = { rows: [], fields: [], rowCount: 0, command: '' };
