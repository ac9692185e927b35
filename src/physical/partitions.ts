/**
 * Declaratively partitioned tables: building one from a model's rows, adding the partitions new
 * rows need, and checking an existing table is partitioned the way the config says.
 *
 * A full build first has the model's rows in a staging table (the materialization's usual fill,
 * pointed at a temporary table), because CREATE TABLE AS cannot create a partitioned table and the
 * partitions depend on the values the rows hold. The partitioned table is created LIKE the staged
 * rows, one partition per needed bound, then filled with one INSERT that Postgres routes. As with
 * indexes, the new partitions' names are taken by the old table's partitions until the swap, so
 * they are built under temporary names and renamed after it.
 */
import { MartqlError } from '../errors';
import { intermediateName } from '../materialize/names';
import type { StatementLog } from '../materialize/statement-log';
import type { RelationName } from '../materialize/types';
import { qualify, quoteIdent, type Column, type Session, type TableName } from '../warehouse';
import {
  boundsFor,
  neededBoundsSql,
  rangeColumnKind,
  type PartitionBound,
  type RangeColumnKind,
} from './partition-bounds';
import type { PartitionSpec } from './partition-config';

export interface PartitionRename {
  temporary: string;
  final: string;
}

function modelName(model: RelationName): string {
  return `${model.schema}.${model.identifier}`;
}

/** The kind of the partition column among `columns`; throws naming the model when it cannot be used. */
export function partitionColumnKind(
  spec: PartitionSpec,
  columns: Column[],
  model: RelationName,
): RangeColumnKind | null {
  const column = columns.find((c) => c.name === spec.field);
  if (!column) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${modelName(model)}: partition_by.field '${spec.field}' is not a column the model produces`,
      { hint: `the model produces: ${columns.map((c) => c.name).join(', ')}` },
    );
  }
  if (spec.kind === 'list') return null;
  const kind = rangeColumnKind(column.dataType);
  if (!kind) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${modelName(model)}: partition_by.granularity needs a date or timestamp column; '${spec.field}' is ${column.dataType}`,
      { hint: 'cast the column in the model, or drop granularity to get one list partition per value' },
    );
  }
  return kind;
}

/** The partitions the rows of `source` (qualified and quoted) need, computed in the database. */
export async function neededPartitions(
  tx: Session,
  source: string,
  spec: PartitionSpec,
  columns: Column[],
  model: RelationName,
): Promise<PartitionBound[]> {
  const kind = partitionColumnKind(spec, columns, model);
  if (spec.kind === 'list' && spec.values) return boundsFor(model.identifier, spec, kind, []);
  const { rows } = await tx.query<{ lo?: string | null; v?: string | null }>(
    neededBoundsSql(spec, source, kind),
  );
  return boundsFor(model.identifier, spec, kind, rows);
}

export function partitionKeyClause(spec: PartitionSpec): string {
  return `partition by ${spec.kind} (${quoteIdent(spec.field)})`;
}

/**
 * Creates the partitioned table `table` shaped like the staged rows in `source`, with the
 * partitions they need under temporary names, and moves the rows in. Returns the rows written and
 * the partition renames to run after the swap.
 */
export async function buildPartitionedTable(
  tx: Session,
  log: StatementLog,
  args: { source: TableName; table: TableName; spec: PartitionSpec; model: RelationName },
): Promise<{ rows: number; renames: PartitionRename[] }> {
  const { source, table, spec, model } = args;
  const sourceSql = qualify(source.schema, source.name);
  const tableSql = qualify(table.schema, table.name);
  const columns = await tx.getColumns(source.schema, source.name);
  const bounds = await neededPartitions(tx, sourceSql, spec, columns, model);
  await log.query(tx, `create table ${tableSql} (like ${sourceSql}) ${partitionKeyClause(spec)}`);
  const renames: PartitionRename[] = [];
  for (const bound of bounds) {
    const temporary = intermediateName(bound.name, '__dbt_tmp');
    await log.query(
      tx,
      `create table ${qualify(table.schema, temporary)} partition of ${tableSql} ${bound.clause}`,
    );
    renames.push({ temporary, final: bound.name });
  }
  const rows = (await log.query(tx, `insert into ${tableSql} select * from ${sourceSql}`)).rowCount;
  return { rows, renames };
}

export async function renamePartitions(
  tx: Session,
  log: StatementLog,
  schema: string,
  renames: PartitionRename[],
): Promise<void> {
  for (const r of renames) {
    await log.query(tx, `alter table ${qualify(schema, r.temporary)} rename to ${quoteIdent(r.final)}`);
  }
}

const PARTITIONS = `
select c.relname as name
from pg_catalog.pg_inherits i
join pg_catalog.pg_class c on c.oid = i.inhrelid
join pg_catalog.pg_class p on p.oid = i.inhparent
join pg_catalog.pg_namespace n on n.oid = p.relnamespace
where n.nspname = $1 and p.relname = $2`;

/** The names of the partitions of `table`. */
export async function partitionsOf(tx: Session, table: TableName): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(PARTITIONS, [table.schema, table.name]);
  return rows.map((r) => r.name);
}

function mismatch(model: RelationName, why: string): MartqlError {
  return new MartqlError('PROJECT_CONFIG', `${modelName(model)}: ${why}`, {
    hint: 'rebuild the model with --full-refresh to apply its partition_by config',
    data: { model: modelName(model) },
  });
}

/**
 * Creates the partitions the rows in `source` need that the existing partitioned `table` lacks;
 * returns every partition the rows go to (what an incremental run touches).
 */
export async function ensurePartitions(
  tx: Session,
  log: StatementLog,
  args: { table: TableName; source: string; columns: Column[]; spec: PartitionSpec; model: RelationName },
): Promise<PartitionBound[]> {
  const { table, spec, model } = args;
  const needed = await neededPartitions(tx, args.source, spec, args.columns, model);
  const present = new Set(await partitionsOf(tx, table));
  for (const bound of needed) {
    if (present.has(bound.name)) continue;
    try {
      await log.query(
        tx,
        `create table ${qualify(table.schema, bound.name)} partition of ${qualify(table.schema, table.name)} ${bound.clause}`,
      );
    } catch (err) {
      throw mismatch(
        model,
        `the new partition ${bound.name} (${bound.clause}) does not fit the table's partitions: ${(err as Error).message}`,
      );
    }
  }
  return needed;
}

const PARTITION_KEY = `
select pt.partstrat::text as strategy,
       array(select a.attname::text from unnest(pt.partattrs::int2[]) as k(attnum)
             join pg_catalog.pg_attribute a on a.attrelid = pt.partrelid and a.attnum = k.attnum) as columns
from pg_catalog.pg_partitioned_table pt
join pg_catalog.pg_class c on c.oid = pt.partrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2`;

/**
 * Throws unless the existing table is partitioned as `spec` says (or, without `spec`, not
 * partitioned): an incremental run cannot change how a table is partitioned.
 */
export async function checkPartitioning(
  tx: Session,
  table: TableName,
  spec: PartitionSpec | null,
  model: RelationName,
): Promise<void> {
  const { rows } = await tx.query<{ strategy: string; columns: string[] }>(PARTITION_KEY, [
    table.schema,
    table.name,
  ]);
  const current = rows[0];
  if (!spec) {
    if (current) throw mismatch(model, 'the table is partitioned but the config no longer sets partition_by');
    return;
  }
  const wanted = spec.kind === 'range' ? 'r' : 'l';
  if (!current) throw mismatch(model, `partition_by is set but the existing table is not partitioned`);
  if (current.strategy !== wanted || current.columns.length !== 1 || current.columns[0] !== spec.field) {
    const kind = current.strategy === 'r' ? 'range' : current.strategy === 'l' ? 'list' : 'hash';
    throw mismatch(
      model,
      `the table is partitioned by ${kind} (${current.columns.join(', ')}), the config says ${spec.kind} (${spec.field})`,
    );
  }
}
