/**
 * A Postgres server through a `pg` Pool, inside the worker.
 *
 * - Session 0 statements take any pooled connection (at most `poolSize`); an open transaction keeps
 *   one pooled connection from BEGIN to COMMIT/ROLLBACK.
 * - Synchronous session-0 statements run on one extra connection of their own, so a blocked main
 *   thread never waits for a pool slot that only its own open transactions could free.
 * - A synchronous statement can still wait on a lock held by one of this process's open transactions,
 *   which cannot end while the main thread is blocked: `deadlock-watchdog.ts` cancels it.
 * - `lock()` holds a session advisory lock on a connection of its own (not from the main pool, and
 *   without `statement_timeout`, since waiting for another process's refresh may take long).
 */
import { createHash } from 'node:crypto';
import { Client, type ClientConfig, Pool, type PoolClient, Query, type QueryConfig, types } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import { type CopySink, type Driver, EMPTY_RESULT, toQueryResult } from './driver';
import { watchSyncStatement } from './deadlock-watchdog';
import { InternalError } from './errors';
import type { CopySpec, WorkerConfig } from './protocol';
import { copyStatement } from './sql';
import type { QueryResult } from './types';
import { ARRAY_ELEMENTS, normalizeParams, SCALAR_PARSERS } from './values';

function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (format !== 'binary') {
    const scalar = SCALAR_PARSERS[oid];
    if (scalar) return scalar;
    const element = ARRAY_ELEMENTS[oid];
    if (element !== undefined) {
      const parse = SCALAR_PARSERS[element];
      return (value) => (types as any).arrayParser.create(value, parse).parse();
    }
  }
  return types.getTypeParser(oid, format as 'text');
}

/** Every value as the text Postgres sent (for `queryRows`). */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as ClientConfig['types'];

function processId(client: Client | PoolClient): number {
  return (client as unknown as { processID: number }).processID;
}

type PgResult = Parameters<typeof toQueryResult>[0];

/** A signed 64-bit advisory-lock key from a string, stable across processes and versions. */
export function lockKey(key: string): string {
  return createHash('sha256').update(`martql:${key}`).digest().readBigInt64BE(0).toString();
}

export class PgDriver implements Driver {
  private readonly pool: Pool;
  private readonly lockPool: Pool;
  private syncClient: Promise<Client> | undefined;
  private monitorClient: Promise<Client> | undefined;
  private readonly transactions = new Map<number, PoolClient>();
  private readonly lockClients = new Set<PoolClient>();
  private nextSession = 1;

  constructor(private readonly config: WorkerConfig) {
    this.pool = new Pool({ ...this.clientConfig(true), max: config.poolSize });
    this.lockPool = new Pool({ ...this.clientConfig(false), max: 64 });
    // An idle connection that dies (server restart) must not crash the worker; the next use reconnects.
    this.pool.on('error', () => undefined);
    this.lockPool.on('error', () => undefined);
  }

  private clientConfig(withTimeout: boolean): ClientConfig {
    const { url, statementTimeoutMs, applicationName } = this.config;
    return {
      connectionString: url,
      application_name: applicationName,
      statement_timeout: withTimeout && statementTimeoutMs !== undefined ? statementTimeoutMs : undefined,
      types: { getTypeParser } as ClientConfig['types'],
    };
  }

  /**
   * The connection kept in `slot` ('syncClient' or 'monitorClient'), connected on first use and
   * forgotten when it fails or ends, so the next use reconnects.
   */
  private dedicated(slot: 'syncClient' | 'monitorClient', withTimeout: boolean): Promise<Client> {
    const existing = this[slot];
    if (existing) return existing;
    const client = new Client(this.clientConfig(withTimeout));
    const forget = () => {
      if (this[slot] === connecting) this[slot] = undefined;
    };
    client.on('error', forget);
    client.on('end', forget);
    const connecting = client.connect().then(
      () => client,
      (err: unknown) => {
        forget();
        throw err;
      },
    );
    this[slot] = connecting;
    return connecting;
  }

  async open(): Promise<void> {
    await this.pool.query('select 1');
  }

  private transaction(session: number): PoolClient {
    const client = this.transactions.get(session);
    if (!client) throw new InternalError(`transaction ${session} is not open`);
    return client;
  }

  /** The connection a statement of `session` runs on; `release` returns it to the pool if it was taken. */
  private async connection(
    session: number,
    sync: boolean,
  ): Promise<{ client: Client; release?: () => void }> {
    if (session !== 0) return { client: this.transaction(session) };
    if (sync) {
      return { client: await this.dedicated('syncClient', true) };
    }
    const client = await this.pool.connect();
    return { client, release: () => client.release() };
  }

  private async run(
    session: number,
    sync: boolean,
    fn: (client: Client) => Promise<unknown>,
  ): Promise<unknown> {
    const { client, release } = await this.connection(session, sync);
    try {
      return await (sync ? this.watched(client, () => fn(client)) : fn(client));
    } finally {
      release?.();
    }
  }

  async query(
    session: number,
    sql: string,
    params: unknown[] | undefined,
    sync: boolean,
  ): Promise<QueryResult> {
    const config = { text: sql, values: normalizeParams(params), queryMode: 'extended' as const };
    return toQueryResult((await this.run(session, sync, (c) => c.query(config))) as PgResult);
  }

  async queryRows(
    session: number,
    sql: string,
    params: unknown[] | undefined,
    each: (values: (string | null)[]) => void,
  ): Promise<void> {
    await this.run(
      session,
      false,
      (client) =>
        new Promise<void>((resolve, reject) => {
          const config = {
            text: sql,
            values: normalizeParams(params),
            queryMode: 'extended',
            rowMode: 'array',
            types: RAW_TEXT,
          };
          // pg's QueryConfig typings know neither queryMode nor rowMode.
          const query = new Query(config as QueryConfig);
          // A throw inside pg's message handling would break the connection: keep the first
          // failure of `each`, skip the remaining rows, and report it when the statement ends.
          let failure: { error: unknown } | undefined;
          query.on('row', (values: (string | null)[]) => {
            if (failure) return;
            try {
              each(values);
            } catch (error) {
              failure = { error };
            }
          });
          query.on('error', reject);
          query.on('end', () => (failure ? reject(failure.error) : resolve()));
          client.query(query);
        }),
    );
  }

  async exec(session: number, sql: string, sync: boolean): Promise<QueryResult> {
    const result = (await this.run(session, sync, (c) => c.query(sql))) as PgResult | PgResult[];
    if (!Array.isArray(result)) return toQueryResult(result);
    const last = result[result.length - 1];
    return last ? toQueryResult(last) : EMPTY_RESULT;
  }

  async begin(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
    } catch (err) {
      client.release(true);
      throw err;
    }
    const session = this.nextSession++;
    this.transactions.set(session, client);
    return session;
  }

  async end(session: number, commit: boolean): Promise<QueryResult> {
    const client = this.transaction(session);
    this.transactions.delete(session);
    try {
      const result = toQueryResult(await client.query(commit ? 'COMMIT' : 'ROLLBACK'));
      client.release();
      return result;
    } catch (err) {
      client.release(true); // the connection's state is unknown: drop it
      throw err;
    }
  }

  async copy(session: number, spec: CopySpec): Promise<CopySink> {
    const sql = copyStatement(spec, 'STDIN');
    const pooled = session === 0 ? await this.pool.connect() : undefined;
    const client = pooled ?? this.transaction(session);
    const stream = client.query(copyFrom(sql));
    let failure: unknown;
    stream.on('error', (err) => (failure ??= err));
    let released = false;
    const release = (destroy: boolean) => {
      if (pooled && !released) pooled.release(destroy);
      released = true;
    };
    return {
      write: async (chunk) => {
        if (failure) throw failure;
        if (!stream.write(chunk)) await once(stream, 'drain');
      },
      end: async () => {
        try {
          if (failure) throw failure;
          stream.end();
          await once(stream, 'finish');
          release(false);
          return stream.rowCount;
        } catch (err) {
          release(true);
          throw err;
        }
      },
      abort: async (reason) => {
        if (!failure) {
          stream.destroy(new Error(reason));
          await once(stream, 'close').catch(() => undefined);
        }
        release(true);
      },
    };
  }

  async lock(key: string): Promise<() => Promise<void>> {
    const client = await this.lockPool.connect();
    const id = lockKey(key);
    this.lockClients.add(client);
    try {
      await client.query('select pg_advisory_lock($1::bigint)', [id]);
    } catch (err) {
      this.lockClients.delete(client);
      client.release(true);
      throw err;
    }
    return async () => {
      this.lockClients.delete(client);
      try {
        await client.query('select pg_advisory_unlock($1::bigint)', [id]);
        client.release();
      } catch (err) {
        client.release(true); // closing the connection releases the lock anyway
        throw err;
      }
    };
  }

  /** Runs a synchronous statement under the deadlock watchdog (see `deadlock-watchdog.ts`). */
  private watched<T>(client: Client, run: () => Promise<T>): Promise<T> {
    return watchSyncStatement(processId(client), run, {
      ownPids: () => [...this.transactions.values(), ...this.lockClients].map(processId),
      monitor: () => this.dedicated('monitorClient', false),
    });
  }

  async close(): Promise<void> {
    const clients = [this.syncClient, this.monitorClient].map((p) =>
      p?.then((c) => c.end()).catch(() => undefined),
    );
    for (const client of this.transactions.values()) client.release(true);
    this.transactions.clear();
    await Promise.all([...clients, this.pool.end(), this.lockPool.end()]);
  }
}
