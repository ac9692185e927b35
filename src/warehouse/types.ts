/**
 * The warehouse interface: the one way MartQL talks to a database.
 *
 * Everything above `warehouse/` (materializations, the runner, freshness, the template context, the
 * GraphQL resolvers) sees only these types; the drivers (`pg`, PGlite) stay behind a worker thread.
 */

import type { JsonRowEncoding, JsonRows } from './json-rows';

/** The result of one statement. Values are decoded as described in `values.ts`. */
export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  fields: { name: string; dataTypeID: number }[];
  /** Rows returned or affected, as reported by the command tag (0 when the command reports none). */
  rowCount: number;
  /** The command tag's verb: 'SELECT', 'INSERT', 'CREATE TABLE', 'COPY', ... ('' for an empty exec). */
  command: string;
}

export interface CopyOptions {
  /** One character; ',' by default. */
  delimiter?: string;
  /** The text that means NULL; '' by default (an unquoted empty field), so `""` stays an empty string. */
  nullString?: string;
}

export interface TableName {
  schema: string;
  name: string;
}

export type RelationType = 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';

export interface Relation {
  schema: string;
  name: string;
  type: RelationType;
}

export interface Column {
  name: string;
  /** `format_type()` of the column: 'integer', 'character varying(20)', 'numeric(10,2)', ... */
  dataType: string;
  /** 1-based position among the relation's live (not dropped) columns. */
  ordinal: number;
  nullable: boolean;
}

/**
 * A place statements run: the warehouse itself (any pooled connection) or one open transaction
 * (always the same connection). Names are exact, case-sensitive identifiers as stored in the catalog.
 */
export interface Session {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Blocks the calling thread until the statement finishes; for templates (`run_query`, `statement`). */
  querySync<Row = Record<string, unknown>>(sql: string, params?: unknown[]): QueryResult<Row>;
  /**
   * The rows as the UTF-8 JSON text of an array of objects, written in the worker from each value's
   * text with the encoding's codecs (json-rows.ts): one buffer crosses to the main thread, not the
   * values.
   */
  queryJsonRows(sql: string, params: unknown[] | undefined, encoding: JsonRowEncoding): Promise<JsonRows>;
  /** Several statements separated by ';' in one round trip (no params), e.g. hooks; returns the last result. */
  exec(sql: string): Promise<QueryResult>;
  /** `exec` for templates: several statements, synchronously (a `{% call statement() %}` body, a hook). */
  execSync(sql: string): QueryResult;
  /**
   * COPY table(columns) FROM STDIN as CSV without a header, from a string or from chunks; returns the
   * number of rows loaded. Inside a transaction the load commits or rolls back with it.
   */
  copyFrom(
    table: TableName,
    columns: string[],
    csv: string | AsyncIterable<string | Buffer>,
    options?: CopyOptions,
  ): Promise<number>;
  getRelation(schema: string, name: string): Promise<Relation | null>;
  getRelationSync(schema: string, name: string): Relation | null;
  getColumns(schema: string, name: string): Promise<Column[]>;
  getColumnsSync(schema: string, name: string): Column[];
  listRelations(schema: string): Promise<Relation[]>;
  schemaExists(schema: string): Promise<boolean>;
  createSchema(schema: string): Promise<void>;
}

export type WarehouseKind = 'pglite' | 'postgres';

export interface Warehouse extends Session {
  readonly kind: WarehouseKind;
  /** `server_version_num`, e.g. 150019. */
  serverVersionNum(): Promise<number>;
  /** BEGIN, `fn(tx)`, COMMIT on one connection; ROLLBACK and rethrow when `fn` or a statement fails. */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding a named lock: exclusive within this process, and across processes on Postgres
   * (a session advisory lock on a hash of `key`, held on a connection of its own).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Ends every connection and terminates the worker thread. */
  close(): Promise<void>;
}

export interface WarehouseOptions {
  /** A postgres:// URL (DATABASE_URL); when absent the embedded PGlite is used. */
  url?: string;
  /** PGlite data directory (created if missing); in memory when undefined. Ignored with `url`. */
  dataDir?: string;
  /** `statement_timeout` for every pooled connection (Postgres only). */
  statementTimeoutMs?: number;
  /** Postgres pool size; 8 by default. */
  poolSize?: number;
  /** `application_name` of every connection; 'martql' by default. */
  applicationName?: string;
}
