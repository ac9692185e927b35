/**
 * The physical design inside an atomic rebuild (`materialize/table.ts`), in three steps around the
 * swap, all in the build's transaction:
 *
 * 1. `fillIntermediate`: the model's rows into the intermediate table, partitioned when the config
 *    says so (through a temporary staging table, see `partitions.ts`);
 * 2. `finishIntermediate`: declared indexes and statistics on the complete intermediate table,
 *    before it replaces the old relation, so readers never see the model unindexed or unanalyzed;
 * 3. `nameAfterSwap`: once the old relation is gone, its names are free: indexes, partitions and
 *    the partitions' indexes get their final, deterministic names.
 */
import { MartqlError } from '../errors';
import { intermediateName } from '../materialize/names';
import type { StatementLog } from '../materialize/statement-log';
import type { RelationName } from '../materialize/types';
import { qualify, type Session, type TableName } from '../warehouse';
import { createIndexesForSwap, nameChildIndexes, renameIndexes, type IndexRename } from './indexes';
import { buildPartitionedTable, renamePartitions, type PartitionRename } from './partitions';
import type { PhysicalConfig } from './physical-config';
import { analyzeTable } from './statistics';

export interface PendingNames {
  indexes: IndexRename[];
  partitions: PartitionRename[];
}

async function tempSchema(tx: Session): Promise<string> {
  const { rows } = await tx.query<{ schema: string }>(
    'select n.nspname as schema from pg_catalog.pg_namespace n where n.oid = pg_catalog.pg_my_temp_schema()',
  );
  if (!rows[0]) throw new MartqlError('INTERNAL', 'the temporary schema of this session was not found');
  return rows[0].schema;
}

/**
 * Fills the intermediate table with `fill` (which creates the table it is given and returns the
 * rows written). A partitioned model's rows are filled into a temporary table first, then moved
 * into the partitioned intermediate table.
 */
export async function fillIntermediate(
  tx: Session,
  log: StatementLog,
  args: {
    physical: PhysicalConfig;
    intermediate: TableName;
    model: RelationName;
    fill: (target: string) => Promise<number>;
  },
): Promise<{ rows: number; partitions: PartitionRename[] }> {
  const { physical, intermediate, model } = args;
  if (!physical.partition) {
    return { rows: await args.fill(qualify(intermediate.schema, intermediate.name)), partitions: [] };
  }
  const stagingName = intermediateName(model.identifier, '__dbt_tmp');
  await log.query(tx, `drop table if exists ${qualify('pg_temp', stagingName)}`);
  await args.fill(qualify('pg_temp', stagingName));
  const staging = { schema: await tempSchema(tx), name: stagingName };
  const built = await buildPartitionedTable(tx, log, {
    source: staging,
    table: intermediate,
    spec: physical.partition,
    model,
  });
  await log.query(tx, `drop table ${qualify(staging.schema, staging.name)}`);
  return { rows: built.rows, partitions: built.renames };
}

/** Declared indexes (under temporary names) and statistics on the complete intermediate table. */
export async function finishIntermediate(
  tx: Session,
  log: StatementLog,
  args: { physical: PhysicalConfig; intermediate: TableName; model: RelationName },
): Promise<IndexRename[]> {
  const renames = await createIndexesForSwap(tx, log, args.intermediate, args.physical.indexes, args.model);
  if (args.physical.analyze) await analyzeTable(tx, log, args.intermediate);
  return renames;
}

/** After the swap: final names for the indexes, the partitions and the partitions' indexes. */
export async function nameAfterSwap(
  tx: Session,
  log: StatementLog,
  target: TableName,
  pending: PendingNames,
): Promise<void> {
  await renameIndexes(tx, log, target.schema, pending.indexes);
  await renamePartitions(tx, log, target.schema, pending.partitions);
  if (pending.partitions.length > 0 && pending.indexes.length > 0) await nameChildIndexes(tx, log, target);
}
