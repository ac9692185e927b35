/**
 * The embedded database: one PGlite instance, in memory or in a data directory, inside the worker.
 *
 * PGlite has a single connection, so transactions are serialized by `Gate` (which also refuses a
 * synchronous wait on another session's open transaction), and `lock()` is never used: `withLock`
 * is an in-process mutex for PGlite, since no other process can open the same data directory.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, type Results } from '@electric-sql/pglite';
import { type CopySink, type Driver, EMPTY_RESULT, toQueryResult } from './driver';
import { InternalError } from './errors';
import { Gate } from './gate';
import type { CopySpec, WorkerConfig } from './protocol';
import { copyStatement } from './sql';
import type { QueryResult } from './types';
import { normalizeParams, SCALAR_PARSERS } from './values';

export class PgliteDriver implements Driver {
  private db: PGlite | undefined;
  private readonly gate = new Gate();
  private readonly transactions = new Set<number>();
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

  /** Runs `fn` on the connection: directly for the transaction holding it, else through the gate. */
  private async run<T>(session: number, sync: boolean, fn: (db: PGlite) => Promise<T>): Promise<T> {
    const db = this.pg;
    if (session !== 0) {
      if (!this.transactions.has(session)) throw new InternalError(`transaction ${session} is not open`);
      return fn(db);
    }
    await this.gate.acquire(0, sync);
    try {
      return await fn(db);
    } finally {
      this.gate.release();
    }
  }

  query(session: number, sql: string, params: unknown[] | undefined, sync: boolean): Promise<QueryResult> {
    return this.run(session, sync, async (db) => toQueryResult(await db.query(sql, normalizeParams(params))));
  }

  exec(session: number, sql: string, sync: boolean): Promise<QueryResult> {
    return this.run(session, sync, async (db) => lastResult(await db.exec(sql)));
  }

  async begin(): Promise<number> {
    const db = this.pg;
    const session = this.nextSession++;
    await this.gate.acquire(session, false);
    try {
      await db.query('BEGIN');
    } catch (err) {
      this.gate.release();
      throw err;
    }
    this.transactions.add(session);
    return session;
  }

  async end(session: number, commit: boolean): Promise<QueryResult> {
    if (!this.transactions.has(session)) throw new InternalError(`transaction ${session} is not open`);
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
