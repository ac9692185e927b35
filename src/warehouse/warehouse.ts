/**
 * The `Warehouse` and its transaction sessions on the main thread: thin wrappers that turn each call
 * into a request to the worker (`bridge.ts`), plus the rules that need the caller's context:
 * transactions (commit, roll back and rethrow) and `withLock`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MartqlError } from '../errors';
import { Bridge } from './bridge';
import { copyFrom } from './copy';
import type { JsonRowEncoding, JsonRows } from './json-rows';
import { KeyedMutex } from './keyed-mutex';
import { quoteIdent } from './quote';
import * as SQL from './sql';
import type {
  Column,
  CopyOptions,
  QueryResult,
  Relation,
  Session,
  TableName,
  Warehouse,
  WarehouseKind,
  WarehouseOptions,
} from './types';

class SessionImpl implements Session {
  constructor(
    protected readonly bridge: Bridge,
    readonly id: number,
  ) {}

  /** Throws when this session may not be used now; overridden by transactions and the PGlite root. */
  protected check(): void {}

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    this.check();
    return (await this.bridge.call(this.id, { kind: 'query', sql, params })) as QueryResult<Row>;
  }

  queryJsonRows(sql: string, params: unknown[] | undefined, encoding: JsonRowEncoding): Promise<JsonRows> {
    this.check();
    return this.bridge.call(this.id, { kind: 'queryJson', sql, params, encoding });
  }

  querySync<Row = Record<string, unknown>>(sql: string, params?: unknown[]): QueryResult<Row> {
    this.check();
    return this.bridge.callSync(this.id, { kind: 'query', sql, params }) as QueryResult<Row>;
  }

  exec(sql: string): Promise<QueryResult> {
    this.check();
    return this.bridge.call(this.id, { kind: 'exec', sql });
  }

  execSync(sql: string): QueryResult {
    this.check();
    return this.bridge.callSync(this.id, { kind: 'exec', sql }) as QueryResult;
  }

  copyFrom(
    table: TableName,
    columns: string[],
    csv: string | AsyncIterable<string | Buffer>,
    options?: CopyOptions,
  ): Promise<number> {
    this.check();
    return copyFrom(this.bridge, this.id, table, columns, csv, options);
  }

  async getRelation(schema: string, name: string): Promise<Relation | null> {
    const { rows } = await this.query<SQL.RelationRow>(SQL.GET_RELATION, [schema, name]);
    return rows.length > 0 ? SQL.toRelation(rows[0]) : null;
  }

  getRelationSync(schema: string, name: string): Relation | null {
    const { rows } = this.querySync<SQL.RelationRow>(SQL.GET_RELATION, [schema, name]);
    return rows.length > 0 ? SQL.toRelation(rows[0]) : null;
  }

  async getColumns(schema: string, name: string): Promise<Column[]> {
    return (await this.query<SQL.ColumnRow>(SQL.GET_COLUMNS, [schema, name])).rows.map(SQL.toColumn);
  }

  getColumnsSync(schema: string, name: string): Column[] {
    return this.querySync<SQL.ColumnRow>(SQL.GET_COLUMNS, [schema, name]).rows.map(SQL.toColumn);
  }

  async listRelations(schema: string): Promise<Relation[]> {
    return (await this.query<SQL.RelationRow>(SQL.LIST_RELATIONS, [schema])).rows.map(SQL.toRelation);
  }

  async schemaExists(schema: string): Promise<boolean> {
    return (await this.query<{ exists: boolean }>(SQL.SCHEMA_EXISTS, [schema])).rows[0].exists;
  }

  async createSchema(schema: string): Promise<void> {
    await this.query(`create schema if not exists ${quoteIdent(schema)}`);
  }
}

class TransactionSession extends SessionImpl {
  ended = false;

  protected override check(): void {
    if (this.ended)
      throw new MartqlError('INTERNAL', 'a transaction session was used after its transaction ended');
  }
}

class WarehouseImpl extends SessionImpl implements Warehouse {
  private readonly mutex = new KeyedMutex();
  /** The transaction whose callback the current async context runs in (PGlite deadlock checks). */
  private readonly inTransaction = new AsyncLocalStorage<true>();
  /** Asked once: every incremental run needs it, and a server does not change version under a pool. */
  private versionNum: Promise<number> | undefined;

  constructor(
    bridge: Bridge,
    readonly kind: WarehouseKind,
  ) {
    super(bridge, 0);
  }

  /**
   * On PGlite a statement on the warehouse from inside a transaction callback waits for that
   * transaction, which waits for the callback: a hang. Refuse it (Postgres just uses another connection).
   */
  protected override check(): void {
    if (this.kind === 'pglite' && this.inTransaction.getStore()) {
      throw new MartqlError('DATABASE', 'the warehouse was used inside its own transaction on PGlite', {
        hint: 'PGlite has one connection, so this waits for the transaction forever: use the transaction session (tx)',
        data: { reason: 'would-deadlock' },
      });
    }
  }

  serverVersionNum(): Promise<number> {
    if (!this.versionNum) {
      const reading = this.query<{ server_version_num: string }>('show server_version_num').then(({ rows }) =>
        Number(rows[0].server_version_num),
      );
      // A failed read (the database was down, say) is not remembered.
      reading.catch(() => {
        if (this.versionNum === reading) this.versionNum = undefined;
      });
      this.versionNum = reading;
    }
    return this.versionNum;
  }

  async transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    this.check();
    const tx = new TransactionSession(this.bridge, await this.bridge.call(0, { kind: 'begin' }));
    let result: T;
    try {
      result = await this.inTransaction.run(true, () => fn(tx));
    } catch (err) {
      tx.ended = true;
      // If ROLLBACK itself fails the connection is gone, and the transaction with it; report the cause.
      await this.bridge.call(tx.id, { kind: 'rollback' }).catch(() => undefined);
      throw err;
    }
    tx.ended = true;
    const end = await this.bridge.call(tx.id, { kind: 'commit' });
    if (end.command === 'ROLLBACK') {
      throw new MartqlError(
        'DATABASE',
        'the transaction was rolled back at COMMIT because a statement in it failed',
        {
          hint: 'an error inside the transaction was caught and ignored; the transaction cannot continue after it',
          data: { sqlstate: '25P02', reason: 'rolled-back' },
        },
      );
    }
    return result;
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, async () => {
      if (this.kind === 'pglite') return fn();
      const lockId = await this.bridge.call(0, { kind: 'lock', key });
      try {
        return await fn();
      } finally {
        await this.bridge.call(0, { kind: 'unlock', lockId });
      }
    });
  }

  async close(): Promise<void> {
    try {
      await this.bridge.call(0, { kind: 'close' });
    } finally {
      await this.bridge.terminate();
    }
  }
}

/**
 * Opens the warehouse: Postgres at `url` when given (DATABASE_URL), else the embedded PGlite in
 * `dataDir` (in memory when undefined). Resolves once the database answers.
 */
export async function openWarehouse(options: WarehouseOptions = {}): Promise<Warehouse> {
  const bridge = new Bridge({
    url: options.url,
    dataDir: options.dataDir,
    statementTimeoutMs: options.statementTimeoutMs,
    poolSize: options.poolSize ?? 8,
    applicationName: options.applicationName ?? 'martql',
  });
  try {
    await bridge.call(0, { kind: 'open' });
  } catch (err) {
    await bridge.terminate();
    throw err;
  }
  return new WarehouseImpl(bridge, options.url !== undefined ? 'postgres' : 'pglite');
}
