/**
 * Replacing one range partition atomically: the refresh of a time slice that is exactly one
 * partition (a microbatch batch whose `event_time` is the partition field and whose `batch_size` is
 * the partition granularity).
 *
 * Instead of deleting the slice's rows and inserting the new ones (dead tuples, index churn, and the
 * old rows' statistics), the new rows go into a fresh standalone table, which gets the declared
 * indexes, a CHECK constraint proving its rows fit the partition's bounds (so ATTACH need not scan
 * it) and its statistics. Only then, in the same transaction, the old partition is DETACHed and
 * dropped and the new table ATTACHed in its place: readers see the old slice or the new one, and the
 * exclusive lock DETACH takes on the parent is held for a few catalog updates, not for the build.
 * Indexes of the parent that the new table lacks (not declared in the config) are built by ATTACH.
 */
import { intermediateName } from '../materialize/names';
import type { StatementLog } from '../materialize/statement-log';
import type { RelationName } from '../materialize/types';
import { qualify, quoteIdent, type Column, type Session, type TableName } from '../warehouse';
import { childIndexName, nameChildIndexes } from './indexes';
import { createIndexSql, type IndexSpec } from './index-config';
import { boundLiteral, rangeBound, type PartitionBound } from './partition-bounds';
import type { PartitionSpec } from './partition-config';
import { partitionColumnKind, partitionsOf } from './partitions';

const BOUNDS_CHECK = 'martql_partition_bounds';

/** True when every batch of `batchSize` on `eventTime` is exactly one partition of `spec`. */
export function batchIsOnePartition(
  spec: PartitionSpec | null,
  batch: { eventTime: string; batchSize: string },
): boolean {
  return spec?.kind === 'range' && spec.field === batch.eventTime && spec.granularity === batch.batchSize;
}

export interface ReplacePartitionArgs {
  /** The partitioned table. */
  table: TableName;
  model: RelationName;
  spec: PartitionSpec & { kind: 'range' };
  /** The partition's lower bound (aligned to the granularity; UTC wall clock). */
  from: Date;
  /** The relation holding the new rows of the slice, qualified and quoted. */
  source: string;
  /** The partitioned table's columns. */
  tableColumns: Column[];
  /** The columns to write, in the table's order. */
  columns: string[];
  indexes: IndexSpec[];
  analyze: boolean;
}

/**
 * Replaces (or adds) the partition starting at `from` with the rows in `source`. Returns the rows
 * written, or null without changing anything when some row falls outside the partition (the caller
 * then writes the slice row by row).
 */
export async function replacePartition(
  tx: Session,
  log: StatementLog,
  args: ReplacePartitionArgs,
): Promise<{ rows: number; partition: PartitionBound } | null> {
  const { table, spec } = args;
  const kind = partitionColumnKind(spec, args.tableColumns, args.model)!;
  const bound = rangeBound(args.model.identifier, spec.granularity, kind, args.from);
  const type = args.tableColumns.find((c) => c.name === spec.field)!.dataType;
  const col = quoteIdent(spec.field);
  const inBounds =
    `${col} is not null and ${col} >= cast(${boundLiteral(bound.range!.from, kind)} as ${type})` +
    ` and ${col} < cast(${boundLiteral(bound.range!.to, kind)} as ${type})`;
  const { rows } = await tx.query<{ outside: boolean }>(
    `select exists (select 1 from ${args.source} where not (${inBounds})) as outside`,
  );
  if (rows[0].outside) return null;

  const parent = qualify(table.schema, table.name);
  const staging = intermediateName(bound.name, '__dbt_tmp');
  const stagingSql = qualify(table.schema, staging);
  await log.query(tx, `drop table if exists ${stagingSql}`);
  await log.query(tx, `create table ${stagingSql} (like ${parent} including defaults including constraints)`);
  const cols = args.columns.map(quoteIdent).join(', ');
  const written = (
    await log.query(tx, `insert into ${stagingSql} (${cols}) select ${cols} from ${args.source}`)
  ).rowCount;
  await log.query(
    tx,
    `alter table ${stagingSql} add constraint ${quoteIdent(BOUNDS_CHECK)} check (${inBounds})`,
  );
  for (const spec of args.indexes) {
    await log.query(tx, createIndexSql(spec, stagingSql, childIndexName(staging, spec.name)));
  }
  if (args.analyze) await log.query(tx, `analyze ${stagingSql}`);

  if ((await partitionsOf(tx, table)).includes(bound.name)) {
    const old = qualify(table.schema, bound.name);
    await log.query(tx, `alter table ${parent} detach partition ${old}`);
    await log.query(tx, `drop table ${old}`);
  }
  await log.query(tx, `alter table ${parent} attach partition ${stagingSql} ${bound.clause}`);
  await log.query(tx, `alter table ${stagingSql} rename to ${quoteIdent(bound.name)}`);
  await log.query(
    tx,
    `alter table ${qualify(table.schema, bound.name)} drop constraint ${quoteIdent(BOUNDS_CHECK)}`,
  );
  await nameChildIndexes(tx, log, table);
  return { rows: written, partition: bound };
}
