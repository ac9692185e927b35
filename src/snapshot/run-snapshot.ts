/**
 * Runs one snapshot inside a transaction the caller opened: a failure anywhere (a bad query, a
 * duplicate key, a failing hook) rolls back everything, leaving the snapshot table as it was.
 *
 * Before changing anything the run checks what dbt users otherwise discover as corrupted history:
 * a `unique_key` that is not unique in the query, a query column named like a meta column, check
 * columns the query lacks, a table that is not a snapshot. Columns the query gained since the
 * last run are added to the table (older versions hold null there); columns it lost stay, and new
 * versions hold null there, as dbt does.
 */
import { randomBytes } from 'node:crypto';
import { MartqlError, type SourceLocation } from '../errors';
import { StatementLog } from '../materialize/statement-log';
import type { BuildHook } from '../materialize/types';
import { qualify, quoteIdent, quoteLiteral, type Session } from '../warehouse';
import type { SnapshotSpec } from './config';
import { createSnapshotSql, duplicateKeySql, mergeSnapshotSql, type SnapshotSqlInput } from './sql';

export interface SnapshotRequest {
  /** The snapshot's name and file, for messages. */
  name: string;
  location: SourceLocation;
  relation: { schema: string; identifier: string };
  /** The snapshot query, compiled. */
  sql: string;
  spec: SnapshotSpec;
  /** SQL for the snapshot time (dbt's `snapshot_get_time()`). */
  now: string;
  /**
   * Hooks, rendered in the transaction as they run; those with `transaction: false` are the
   * caller's to run around the transaction.
   */
  preHooks?: readonly BuildHook[];
  postHooks?: readonly BuildHook[];
}

export interface SnapshotOutcome {
  /** True when this run created the table. */
  created: boolean;
  /** Versions inserted (new rows, changed rows, rows back after a delete). */
  inserted: number;
  /** Current versions closed (changed or deleted rows). */
  closed: number;
  /** Deleted markers inserted (`hard_deletes: new_record`). */
  deleted: number;
  statements: { sql: string; rowCount: number; ms: number }[];
}

export async function runSnapshot(tx: Session, req: SnapshotRequest): Promise<SnapshotOutcome> {
  const log = new StatementLog();
  const fail = (message: string, hint?: string): never => {
    throw new MartqlError('PROJECT_CONFIG', `snapshot ${req.name}: ${message}`, {
      location: req.location,
      hint,
    });
  };
  await log.hooks(tx, req.preHooks ?? []);
  const { spec } = req;
  const { schema, identifier } = req.relation;
  const target = qualify(schema, identifier);
  const source = quoteIdent(`martql_snapshot_${randomBytes(6).toString('hex')}`);
  await log.query(tx, `create temp table ${source} on commit drop as\n${req.sql.trim()}`);
  const columnTypes = await tempColumns(tx, source);
  const sourceColumns = [...columnTypes.keys()];

  const meta = new Set(Object.values(spec.columns));
  const clash = sourceColumns.find((c) => meta.has(c));
  if (clash)
    fail(
      `the query has a column named ${clash}, which is a snapshot meta column`,
      'rename the column, or the meta column with snapshot_meta_column_names',
    );
  checkNamedColumns(spec, sourceColumns, fail);
  const dup = (await log.query<Record<string, unknown>>(tx, duplicateKeySql(spec, source))).rows[0];
  if (dup) {
    const value = spec.uniqueKey.map(
      (k, i) => `${k} = ${dup[`k${i}`] === null ? 'null' : String(dup[`k${i}`])}`,
    );
    fail(
      `unique_key is not unique in the query: ${value.join(', ')} appears ${String(dup.n)} times`,
      'a snapshot needs one row per key; deduplicate the query',
    );
  }

  const input: SnapshotSqlInput = { spec, target, source, sourceColumns, now: req.now };
  const existing = await tx.getRelation(schema, identifier);
  let outcome: Omit<SnapshotOutcome, 'statements'>;
  if (existing === null) {
    const created = await log.query(tx, createSnapshotSql(input));
    outcome = { created: true, inserted: created.rowCount, closed: 0, deleted: 0 };
  } else {
    if (existing.type !== 'table' && existing.type !== 'partitioned_table') {
      fail(`${schema}.${identifier} exists and is a ${existing.type}, not a snapshot table`);
    }
    input.targetColumns = await evolveTable(tx, log, req, columnTypes, fail);
    const { rows } = await log.query<{ closed: number; inserted: number; deleted: number }>(
      tx,
      mergeSnapshotSql(input),
    );
    outcome = { created: false, ...rows[0] };
  }
  await log.hooks(tx, req.postHooks ?? []);
  return { ...outcome, statements: log.records };
}

/** A temporary table's columns and their types (`format_type`), in order. */
async function tempColumns(tx: Session, table: string): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ name: string; type: string }>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = ${quoteLiteral(table)}::regclass and attnum > 0 and not attisdropped order by attnum`,
  );
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** Check columns and `updated_at` written as plain names must be columns of the query. */
function checkNamedColumns(
  spec: SnapshotSpec,
  columns: string[],
  fail: (m: string, h?: string) => never,
): void {
  const have = new Set(columns);
  const plain = /^[A-Za-z_][A-Za-z0-9_$]*$/;
  const missing = (name: string) => plain.test(name) && !have.has(name.toLowerCase()) && !have.has(name);
  const strategy = spec.strategy;
  if (strategy.updatedAt !== undefined && missing(strategy.updatedAt)) {
    fail(
      `updated_at column ${strategy.updatedAt} is not a column of the query`,
      `columns: ${columns.join(', ')}`,
    );
  }
  if (strategy.kind === 'check' && strategy.checkCols !== 'all') {
    const absent = strategy.checkCols.filter(missing);
    if (absent.length)
      fail(`check_cols ${absent.join(', ')} not in the query`, `columns: ${columns.join(', ')}`);
  }
}

/**
 * Checks the existing table is a snapshot table and adds what it lacks: columns the query gained,
 * and `dbt_is_deleted` when `hard_deletes: new_record` is switched on for an older table. Returns
 * the table's non-meta columns.
 */
async function evolveTable(
  tx: Session,
  log: StatementLog,
  req: SnapshotRequest,
  sourceColumns: Map<string, string>,
  fail: (m: string, h?: string) => never,
): Promise<string[]> {
  const { schema, identifier } = req.relation;
  const target = qualify(schema, identifier);
  const c = req.spec.columns;
  const existing = await tx.getColumns(schema, identifier);
  const names = new Set(existing.map((col) => col.name));
  for (const required of [c.scdId, c.updatedAt, c.validFrom, c.validTo]) {
    if (!names.has(required)) {
      fail(
        `${schema}.${identifier} has no ${required} column, so it is not a snapshot table of this config`,
        'drop it, or set snapshot_meta_column_names to the names it uses',
      );
    }
  }
  const added = [...sourceColumns.keys()].filter((col) => !names.has(col));
  for (const col of added) {
    await log.query(tx, `alter table ${target} add column ${quoteIdent(col)} ${sourceColumns.get(col)!}`);
  }
  if (req.spec.hardDeletes === 'new_record' && !names.has(c.isDeleted)) {
    await log.query(tx, `alter table ${target} add column ${quoteIdent(c.isDeleted)} text default 'False'`);
    await log.query(tx, `alter table ${target} alter column ${quoteIdent(c.isDeleted)} drop default`);
  }
  const meta = new Set(Object.values(c));
  return [...existing.map((col) => col.name), ...added].filter((name) => !meta.has(name));
}
