/**
 * The SQL of a snapshot run, as pure functions of the spec and the columns involved.
 *
 * The snapshot query's rows are first copied into a temporary table (`source`), so the query runs
 * once and every later statement sees the same rows. Then either the table is created with every
 * row current (first run), or one statement applies the change: its data-modifying CTEs all read
 * the table as it was before the statement, which is what SCD2 needs. Closing the current version
 * of a changed row and inserting its new version must both be decided against the old state; run
 * one after the other as separate statements, the second would see the first's effect.
 *
 * Key and `updated_at` expressions come from the user's config and are evaluated, unqualified,
 * in a subquery over one table, so that an expression such as `id || '-' || kind` works as in
 * dbt. Derived values are carried under `__martql_*` names, never under the user's names.
 */
import { quoteIdent } from '../warehouse';
import type { SnapshotSpec } from './config';

export interface SnapshotSqlInput {
  spec: SnapshotSpec;
  /** The snapshot table, rendered (`"schema"."name"`). */
  target: string;
  /** The temporary table holding the snapshot query's rows, rendered. */
  source: string;
  /** Column names of `source`, in order. */
  sourceColumns: string[];
  /** The snapshot table's columns that are not meta columns (merge only), in order. */
  targetColumns?: string[];
  /** SQL for the snapshot time: one value for the whole run. */
  now: string;
}

const KEY = '__martql_key_';
const UPDATED = '__martql_updated_at';

/** Where a version's timestamps come from: the row's `updated_at`, or the snapshot time. */
function updatedAtExpr(spec: SnapshotSpec, now: string): string {
  return spec.strategy.kind === 'timestamp' ? spec.strategy.updatedAt : (spec.strategy.updatedAt ?? now);
}

/** `alias.*` plus the key parts (and the version time) computed over one table. */
function withKeys(spec: SnapshotSpec, table: string, alias: string, updatedAt?: string): string {
  const keys = spec.uniqueKey.map((k, i) => `(${k}) as ${KEY}${i}`);
  const extra = updatedAt === undefined ? [] : [`(${updatedAt}) as ${UPDATED}`];
  return `select ${alias}.*, ${[...keys, ...extra].join(', ')} from ${table} as ${alias}`;
}

/** A surrogate id of a version: the key parts and the version time, hashed. */
function scdId(spec: SnapshotSpec, alias: string, time: string): string {
  const parts = [...spec.uniqueKey.map((_, i) => `${alias}.${KEY}${i}`), time];
  return `md5(${parts.map((p) => `coalesce(cast(${p} as text), '')`).join(` || '|' || `)})`;
}

function keysMatch(spec: SnapshotSpec, a: string, b: string): string {
  return spec.uniqueKey.map((_, i) => `${a}.${KEY}${i} = ${b}.${KEY}${i}`).join(' and ');
}

/** Whether a row of `alias` of the snapshot table is its key's current version. */
export function isCurrent(spec: SnapshotSpec, alias: string): string {
  const validTo = `${alias}.${quoteIdent(spec.columns.validTo)}`;
  return spec.validToCurrent === undefined
    ? `${validTo} is null`
    : `(${validTo} is null or ${validTo} = (${spec.validToCurrent}))`;
}

/** The `valid_to` of a new current version; typed like `typedLike` when no value is configured. */
function openValidTo(spec: SnapshotSpec, typedLike: string): string {
  return spec.validToCurrent === undefined
    ? `case when false then ${typedLike} end`
    : `case when false then ${typedLike} else (${spec.validToCurrent}) end`;
}

/** The first run: every row of the query becomes a current version. */
export function createSnapshotSql(input: SnapshotSqlInput): string {
  const { spec, now } = input;
  const c = spec.columns;
  const columns = input.sourceColumns.map((col) => `src.${quoteIdent(col)}`);
  const meta = [
    `${scdId(spec, 'src', `src.${UPDATED}`)} as ${quoteIdent(c.scdId)}`,
    `src.${UPDATED} as ${quoteIdent(c.updatedAt)}`,
    `src.${UPDATED} as ${quoteIdent(c.validFrom)}`,
    `${openValidTo(spec, `src.${UPDATED}`)} as ${quoteIdent(c.validTo)}`,
  ];
  if (spec.hardDeletes === 'new_record') meta.push(`'False'::text as ${quoteIdent(c.isDeleted)}`);
  return (
    `create table ${input.target} as\nselect ${[...columns, ...meta].join(',\n  ')}\n` +
    `from (${withKeys(spec, input.source, 's', updatedAtExpr(spec, now))}) as src`
  );
}

/** When a current version changed: the strategy's test, or a deleted marker whose row is back. */
function changed(spec: SnapshotSpec, sourceColumns: string[]): string {
  const tests: string[] = [];
  const strategy = spec.strategy;
  if (strategy.kind === 'timestamp') {
    tests.push(`cur.${quoteIdent(spec.columns.validFrom)} < src.${UPDATED}`);
  } else {
    const cols = strategy.checkCols === 'all' ? sourceColumns.map(quoteIdent) : strategy.checkCols;
    for (const col of cols) tests.push(`cur.${col} is distinct from src.${col}`);
  }
  if (spec.hardDeletes === 'new_record') tests.push(`cur.${quoteIdent(spec.columns.isDeleted)} = 'True'`);
  return tests.length === 0 ? 'false' : `(${tests.join(' or ')})`;
}

/**
 * A later run, as one statement returning the counts `closed`, `inserted` and `deleted` (deleted
 * markers written by `hard_deletes: new_record`).
 */
export function mergeSnapshotSql(input: SnapshotSqlInput): string {
  const { spec, now, target } = input;
  const c = spec.columns;
  const q = quoteIdent;
  const isChanged = changed(spec, input.sourceColumns);
  const match = keysMatch(spec, 'src', 'cur');
  const gone = `not exists (select 1 from src where ${match})`;
  const notMarker =
    spec.hardDeletes === 'new_record' ? ` and cur.${q(c.isDeleted)} is distinct from 'True'` : '';
  const metaList = [c.scdId, c.updatedAt, c.validFrom, c.validTo].map(q);
  if (spec.hardDeletes === 'new_record') metaList.push(q(c.isDeleted));

  const closes = [
    `select cur.${q(c.scdId)} as __scd, src.${UPDATED} as __valid_to from src join cur on ${match} where ${isChanged}`,
  ];
  if (spec.hardDeletes !== 'ignore') {
    closes.push(`select cur.${q(c.scdId)}, (${now}) from cur where ${gone}${notMarker}`);
  }
  const newVersion = [
    ...input.sourceColumns.map((col) => `src.${q(col)}`),
    scdId(spec, 'src', `src.${UPDATED}`),
    `src.${UPDATED}`,
    `src.${UPDATED}`,
    spec.validToCurrent === undefined ? 'null' : `(${spec.validToCurrent})`,
    ...(spec.hardDeletes === 'new_record' ? ["'False'"] : []),
  ];
  const ctes = [
    `src as (${withKeys(spec, input.source, 's', updatedAtExpr(spec, now))})`,
    `cur as (${withKeys(spec, target, 't')} where ${isCurrent(spec, 't')})`,
    `closed as (update ${target} as t set ${q(c.validTo)} = ch.__valid_to from (${closes.join(' union all ')}) as ch ` +
      `where t.${q(c.scdId)} = ch.__scd and ${isCurrent(spec, 't')} returning 1)`,
    `inserted as (insert into ${target} (${[...input.sourceColumns.map(q), ...metaList].join(', ')}) ` +
      `select ${newVersion.join(', ')} from src left join cur on ${match} ` +
      `where cur.${KEY}0 is null or ${isChanged} returning 1)`,
  ];
  let deleted = '0';
  if (spec.hardDeletes === 'new_record') {
    const kept = input.targetColumns ?? input.sourceColumns;
    const marker = [
      ...kept.map((col) => `cur.${q(col)}`),
      scdId(spec, 'cur', `(${now})`),
      `(${now})`,
      `(${now})`,
      spec.validToCurrent === undefined ? 'null' : `(${spec.validToCurrent})`,
      "'True'",
    ];
    ctes.push(
      `marked as (insert into ${target} (${[...kept.map(q), ...metaList].join(', ')}) ` +
        `select ${marker.join(', ')} from cur where ${gone}${notMarker} returning 1)`,
    );
    deleted = '(select count(*) from marked)::int';
  }
  return (
    `with ${ctes.join(',\n')}\n` +
    `select (select count(*) from closed)::int as closed, (select count(*) from inserted)::int as inserted, ` +
    `${deleted} as deleted`
  );
}

/** One key that appears twice among the query's rows, if any (a snapshot needs unique keys). */
export function duplicateKeySql(spec: SnapshotSpec, source: string): string {
  const keys = spec.uniqueKey.map((k, i) => `(${k})::text as k${i}`);
  const group = spec.uniqueKey.map((_, i) => String(i + 1)).join(', ');
  return `select ${keys.join(', ')}, count(*)::int as n from ${source} group by ${group} having count(*) > 1 limit 1`;
}
