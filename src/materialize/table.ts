/**
 * The `table` materialization, and the atomic rebuild every table-shaped build shares (a table
 * model, the first build or a full refresh of an incremental model, including microbatch).
 *
 * One transaction: pre-hooks, build `<name>__dbt_tmp`, enforce the contract on it, swap it into
 * place (`swap.ts`), rename its constraints, post-hooks. The old relation is only touched by the
 * swap, after the new one is complete and validated, and a failure anywhere rolls everything back:
 * no `__dbt_tmp` or `__dbt_backup` relation outlives the transaction either way.
 */
import { qualify, type Session } from '../warehouse';
import { contractEnforced, enforceTableContract, renameConstraints, type ConstraintRename } from './contract';
import { intermediateName } from './names';
import { dropIfExists, selectable } from './relation-sql';
import { ensureSchema } from './schema';
import { StatementLog } from './statement-log';
import { swapIntoPlace } from './swap';
import type { BatchRecord, Materialization, MaterializeRequest, MaterializeResult } from './types';

export interface TableFill {
  /** Creates the table `intermediate` (schema-qualified, quoted) and fills it; returns rows written. */
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
  await ensureSchema(req.warehouse, schema);
  const rows = await req.warehouse.transaction(async (tx) => {
    await log.hooks(tx, req.preHooks);
    await dropIfExists(tx, log, schema, tmpName);
    const written = await fill(tx, log, qualify(schema, tmpName));
    let renames: ConstraintRename[] = [];
    if (contractEnforced(req.config)) {
      renames = await enforceTableContract(
        tx,
        log,
        { schema, name: tmpName },
        req.relation,
        req.columns,
        req.config,
      );
    }
    const existing = await tx.getRelation(schema, identifier);
    await swapIntoPlace(tx, log, {
      existing,
      intermediate: { schema, name: tmpName, type: 'table' },
      target: identifier,
    });
    await renameConstraints(tx, log, { schema, name: identifier }, renames);
    await log.hooks(tx, req.postHooks);
    return written;
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
