/**
 * Putting a model's declared indexes on its relation, in the three situations a build meets.
 *
 * - An atomic rebuild creates them on the intermediate table before the swap, so readers never see
 *   the model's relation without them. Index names share the schema's namespace with the old
 *   table's indexes, which still exist at that point, so they are created under temporary names and
 *   renamed once the swap has dropped the old table (in the same transaction).
 * - An incremental run keeps the table, so it only creates declared indexes the table lacks (a
 *   config that gained an index) and drops the ones MartQL made that the config no longer declares.
 *   Which indexes MartQL made is recorded on the index itself (a comment), never guessed from names.
 * - On a partitioned table an index is created on the parent and Postgres creates one per
 *   partition, naming them itself; `nameChildIndexes` renames those to deterministic names.
 */
import { createHash } from 'node:crypto';
import { MartqlError } from '../errors';
import { fitIdentifier, intermediateName } from '../materialize/names';
import type { StatementLog } from '../materialize/statement-log';
import type { RelationName } from '../materialize/types';
import { qualify, quoteIdent, quoteLiteral, type Session, type TableName } from '../warehouse';
import { createIndexSql, type IndexSpec } from './index-config';

/** The comment that marks an index as made from the `indexes` config. */
export const DECLARED_INDEX_COMMENT = 'martql: declared in the model config (indexes)';

export interface IndexRename {
  temporary: string;
  final: string;
}

const TABLE_INDEXES = `
select ic.relname as name, pg_catalog.obj_description(ic.oid, 'pg_class') as comment
from pg_catalog.pg_index i
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2`;

async function createOne(
  tx: Session,
  log: StatementLog,
  table: TableName,
  spec: IndexSpec,
  name: string,
  model: RelationName,
): Promise<void> {
  try {
    await log.query(tx, createIndexSql(spec, qualify(table.schema, table.name), name));
  } catch (err) {
    const columns = spec.columns.map((c) => c.name).join(', ');
    throw new MartqlError(
      'DATABASE',
      `${model.schema}.${model.identifier}: the ${spec.unique ? 'unique ' : ''}${spec.type} index on (${columns}) ` +
        `declared in its indexes config could not be created: ${(err as Error).message}`,
      {
        cause: err,
        hint: spec.unique
          ? 'the rows are not unique on these columns, or a column is not in the model; the existing relation was left as it was'
          : 'check that every column is produced by the model; the existing relation was left as it was',
        data: { ...((err as MartqlError).data ?? {}), index: spec.name },
      },
    );
  }
  await log.query(
    tx,
    `comment on index ${qualify(table.schema, name)} is ${quoteLiteral(DECLARED_INDEX_COMMENT)}`,
  );
}

/**
 * Creates every declared index on the intermediate table `table` under a temporary name; returns
 * the renames to run once the swap has put `table` in the model's place.
 */
export async function createIndexesForSwap(
  tx: Session,
  log: StatementLog,
  table: TableName,
  specs: IndexSpec[],
  model: RelationName,
): Promise<IndexRename[]> {
  const renames: IndexRename[] = [];
  for (const spec of specs) {
    const temporary = intermediateName(spec.name, '__dbt_tmp');
    await createOne(tx, log, table, spec, temporary, model);
    renames.push({ temporary, final: spec.name });
  }
  return renames;
}

export async function renameIndexes(
  tx: Session,
  log: StatementLog,
  schema: string,
  renames: IndexRename[],
): Promise<void> {
  for (const r of renames) {
    await log.query(tx, `alter index ${qualify(schema, r.temporary)} rename to ${quoteIdent(r.final)}`);
  }
}

/**
 * Makes the indexes MartQL manages on an existing table match `specs`: creates the missing ones,
 * drops the ones it made earlier that the config no longer declares; leaves every other index alone.
 */
export async function syncIndexes(
  tx: Session,
  log: StatementLog,
  table: TableName,
  specs: IndexSpec[],
  model: RelationName,
): Promise<{ created: string[]; dropped: string[] }> {
  const { rows } = await tx.query<{ name: string; comment: string | null }>(TABLE_INDEXES, [
    table.schema,
    table.name,
  ]);
  const present = new Set(rows.map((r) => r.name));
  const wanted = new Set(specs.map((s) => s.name));
  const dropped: string[] = [];
  for (const r of rows) {
    if (r.comment === DECLARED_INDEX_COMMENT && !wanted.has(r.name)) {
      await log.query(tx, `drop index ${qualify(table.schema, r.name)}`);
      dropped.push(r.name);
    }
  }
  const created: string[] = [];
  for (const spec of specs) {
    if (present.has(spec.name)) continue;
    await createOne(tx, log, table, spec, spec.name, model);
    created.push(spec.name);
  }
  return { created, dropped };
}

// Indexes Postgres made on the partitions of `table` for its declared (commented) indexes.
const CHILD_INDEXES = `
select ci.relname as child, pc.relname as partition, pi.relname as parent
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_index x on x.indrelid = c.oid
join pg_catalog.pg_class pi on pi.oid = x.indexrelid
join pg_catalog.pg_inherits inh on inh.inhparent = pi.oid
join pg_catalog.pg_class ci on ci.oid = inh.inhrelid
join pg_catalog.pg_index cx on cx.indexrelid = ci.oid
join pg_catalog.pg_class pc on pc.oid = cx.indrelid
where n.nspname = $1 and c.relname = $2
  and pg_catalog.obj_description(pi.oid, 'pg_class') = $3`;

/** `<partition>__<hash of the parent index's name>`: stable for a partition and a declared index. */
export function childIndexName(partition: string, parentIndex: string): string {
  return fitIdentifier(`${partition}__${createHash('sha256').update(parentIndex).digest('hex').slice(0, 8)}`);
}

/** Renames the per-partition indexes of the declared indexes of `table` to `childIndexName`. */
export async function nameChildIndexes(tx: Session, log: StatementLog, table: TableName): Promise<void> {
  const { rows } = await tx.query<{ child: string; partition: string; parent: string }>(CHILD_INDEXES, [
    table.schema,
    table.name,
    DECLARED_INDEX_COMMENT,
  ]);
  for (const r of rows) {
    const wanted = childIndexName(r.partition, r.parent);
    if (r.child !== wanted) {
      await log.query(tx, `alter index ${qualify(table.schema, r.child)} rename to ${quoteIdent(wanted)}`);
    }
  }
}
