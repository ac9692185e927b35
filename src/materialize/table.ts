/**
 * The `table` materialization, and the atomic rebuild every table-shaped build shares (a table
 * model, the first build or a full refresh of an incremental model, including microbatch).
 *
 * One transaction: pre-hooks, build `<name>__dbt_tmp`, enforce the contract on it, swap it into
 * place (`swap.ts`), rename its constraints, post-hooks. The old relation is only touched by the
 * swap, after the new one is complete and validated, and a failure anywhere rolls everything back:
 * no `__dbt_tmp` or `__dbt_backup` relation outlives the transaction either way.
 *
 * The model's physical design (`physical/`) is part of the same transaction: the intermediate
 * table is partitioned as `partition_by` says, gets its declared indexes and its statistics before
 * the swap, and their final names after it.
 */
import { fillIntermediate, finishIntermediate, nameAfterSwap, readPhysicalConfig } from '../physical';
import type { Session } from '../warehouse';
import { contractEnforced, enforceTableContract, renameConstraints, type ConstraintRename } from './contract';
import { intermediateName } from './names';
import { dropIfExists, selectable } from './relation-sql';
import { ensureSchema } from './schema';
import { StatementLog } from './statement-log';
import { swapIntoPlace } from './swap';
import type { BatchRecord, Materialization, MaterializeRequest, MaterializeResult } from './types';

export interface TableFill {
  /**
   * Creates the table `intermediate` (schema-qualified, quoted) and fills it; returns rows written.
   * For a partitioned model `intermediate` is a temporary staging table, not the model's next relation.
   */
  (tx: Session, log: StatementLog, intermediate: string): Promise<number>;
}

/** `create table <intermediate> as <sql>`: the fill of a plain table build. */
export function fillFromSql(sql: string): TableFill {
  return async (tx, log, intermediate) =>
    (await log.query(tx, `create table ${intermediate} as ${selectable(sql)}\n`)).rowCount;
}

/** Rebuilds the model's relation as a table, atomically; `kind` is what the result reports. */
export async function rebuildTable(
  req: MaterializeRequest,
  kind: 'table' | 'full',
  fill: TableFill,
  log = new StatementLog(),
  batches?: BatchRecord[],
): Promise<MaterializeResult> {
  const { schema, identifier } = req.relation;
  const tmpName = intermediateName(identifier, '__dbt_tmp');
  const intermediate = { schema, name: tmpName };
  const physical = readPhysicalConfig(req.config, req.relation);
  await ensureSchema(req.warehouse, schema);
  const rows = await req.warehouse.transaction(async (tx) => {
    await log.hooks(tx, req.preHooks);
    await dropIfExists(tx, log, schema, tmpName);
    const filled = await fillIntermediate(tx, log, {
      physical,
      intermediate,
      model: req.relation,
      fill: (target) => fill(tx, log, target),
    });
    let renames: ConstraintRename[] = [];
    if (contractEnforced(req.config)) {
      renames = await enforceTableContract(tx, log, intermediate, req.relation, req.columns, req.config);
    }
    const indexes = await finishIntermediate(tx, log, { physical, intermediate, model: req.relation });
    const existing = await tx.getRelation(schema, identifier);
    await swapIntoPlace(tx, log, {
      existing,
      intermediate: { schema, name: tmpName, type: 'table' },
      target: identifier,
    });
    await renameConstraints(tx, log, { schema, name: identifier }, renames);
    await nameAfterSwap(tx, log, { schema, name: identifier }, { indexes, partitions: filled.partitions });
    await log.hooks(tx, req.postHooks);
    return filled.rows;
  });
  return {
    kind,
    rowsAffected: rows,
    relationType: 'table',
    statements: log.records,
    ...(batches ? { batches } : {}),
  };
}

export const tableMaterialization: Materialization = {
  name: 'table',
  run: (req) => rebuildTable(req, 'table', fillFromSql(req.compile({ isIncremental: false }))),
};
