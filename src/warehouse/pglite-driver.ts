/**
 * The embedded database: one PGlite instance, in memory or in a data directory, inside the worker.
 *
 * PGlite has a single connection, so transactions are serialized by `Gate` (which also refuses a
 * synchronous wait on another session's open transaction), and `lock()` is never used: `withLock`
 * is an in-process mutex for PGlite, since no other process can open the same data directory.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, type Results, types } from '@electric-sql/pglite';
import { type CopySink, type Driver, EMPTY_RESULT, toQueryResult } from './driver';
import { InternalError, WouldDeadlockError } from './errors';
import { Gate } from './gate';
import type { CopySpec, WorkerConfig } from './protocol';
import { copyStatement } from './sql';
import type { QueryResult } from './types';
import { normalizeParams, SCALAR_PARSERS } from './values';

/** Every value as the text Postgres sent (for `queryRows`): PGlite parses only the types it has a parser for. */
const RAW_TEXT: Record<number, (value: string) => string> = Object.fromEntries(
  [...Object.keys(types.parsers), ...Object.keys(SCALAR_PARSERS)]
    .filter((oid) => /^\d+$/.test(oid))
    .map((oid) => [Number(oid), (value: string) => value]),
);

export class PgliteDriver implements Driver {
  private db: PGlite | undefined;
  private readonly gate = new Gate();
  /** Open transactions: not begun yet, beginning (BEGIN waits for the gate), or holding the gate. */
  private readonly transactions = new Map<number, 'idle' | 'open' | Promise<void>>();
  private nextSession = 1;

  constructor(private readonly config: WorkerConfig) {}

  async open(): Promise<void> {
    if (this.config.dataDir !== undefined) mkdirSync(this.config.dataDir, { recursive: true });
    this.db = await PGlite.create(this.config.dataDir, { parsers: SCALAR_PARSERS });
  }

  private get pg(): PGlite {
    if (!this.db) throw new InternalError('the embedded database is not open');
    return this.db;
  }

  /** Runs `fn` on the connection: in its transaction (opened on first use), or through the gate. */
  private async run<T>(session: number, sync: boolean, fn: (db: PGlite) => Promise<T>): Promise<T> {
    const db = this.pg;
    if (session !== 0) {
      await this.started(session, sync);
      return fn(db);
    }
    await this.gate.acquire(0, sync);
    try {
      return await fn(db);
    } finally {
      this.gate.release();
    }
  }

  /**
   * BEGIN runs with a transaction's first statement, not when `begin` is answered: until then the
   * main thread has not entered the transaction, so a synchronous query it sends meanwhile must not
   * find the connection taken by a transaction that has done nothing yet.
   */
  private started(session: number, sync: boolean): Promise<void> {
    const state = this.transactions.get(session);
    if (state === undefined) throw new InternalError(`transaction ${session} is not open`);
    if (state === 'open') return Promise.resolve();
    if (state !== 'idle') {
      if (sync) {
        throw new WouldDeadlockError(
          'a synchronous query would wait for its own transaction to start behind another transaction',
          'await a statement of the transaction before querying it synchronously',
        );
      }
      return state;
    }
    const starting = (async () => {
      await this.gate.acquire(session, sync);
      try {
        await this.pg.query('BEGIN');
      } catch (err) {
        this.gate.release();
        this.transactions.set(session, 'idle');
        throw err;
      }
      this.transactions.set(session, 'open');
    })();
    this.transactions.set(session, starting);
    return starting;
  }

  query(session: number, sql: string, params: unknown[] | undefined, sync: boolean): Promise<QueryResult> {
    return this.run(session, sync, async (db) => toQueryResult(await db.query(sql, normalizeParams(params))));
  }

  queryRows(
    session: number,
    sql: string,
    params: unknown[] | undefined,
    each: (values: (string | null)[]) => void,
  ): Promise<void> {
    // PGlite answers a statement whole: the rows are handed over once it has.
    return this.run(session, false, async (db) => {
      const result = await db.query<(string | null)[]>(sql, normalizeParams(params), {
        rowMode: 'array',
        parsers: RAW_TEXT,
      });
      for (const row of result.rows) each(row);
    });
  }

  exec(session: number, sql: string, sync: boolean): Promise<QueryResult> {
    return this.run(session, sync, async (db) => lastResult(await db.exec(sql)));
  }

  async begin(): Promise<number> {
    if (!this.db) throw new InternalError('the embedded database is not open');
    const session = this.nextSession++;
    this.transactions.set(session, 'idle');
    return session;
  }

  async end(session: number, commit: boolean): Promise<QueryResult> {
    const state = this.transactions.get(session);
    if (state === undefined) throw new InternalError(`transaction ${session} is not open`);
    if (state === 'idle') {
      this.transactions.delete(session);
      return { ...EMPTY_RESULT, command: commit ? 'COMMIT' : 'ROLLBACK' };
    }
    try {
      await state; // 'open', or wait for BEGIN to finish
    } catch (err) {
      this.transactions.delete(session);
      throw err;
    }
    try {
      return toQueryResult(await this.pg.query(commit ? 'COMMIT' : 'ROLLBACK'));
    } finally {
      this.transactions.delete(session);
      this.gate.release();
    }
  }

  async copy(session: number, spec: CopySpec): Promise<CopySink> {
    // PGlite reads COPY input from a Blob mounted at /dev/blob, so the chunks are collected first.
    const sql = copyStatement(spec, '/dev/blob');
    const parts: (string | Uint8Array)[] = [];
    return {
      write: async (chunk) => {
        parts.push(chunk);
      },
      end: () =>
        this.run(session, false, async (db) => {
          const result = await db.query(sql, [], { blob: new Blob(parts) });
          return result.rowCount ?? result.affectedRows ?? 0;
        }),
      abort: async () => {
        parts.length = 0;
      },
    };
  }

  lock(): Promise<() => Promise<void>> {
    return Promise.reject(new InternalError('PGlite locks are taken in-process, not in the worker'));
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    if (db && !db.closed) await db.close();
  }
}

function lastResult(results: Results[]): QueryResult {
  const last = results[results.length - 1];
  return last ? toQueryResult(last) : EMPTY_RESULT;
}
