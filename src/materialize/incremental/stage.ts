/**
 * Staging an incremental run's rows: the model's SQL goes into a temporary table (dropped at
 * COMMIT, invisible to other sessions, gone on ROLLBACK), so the strategy, the schema-change check
 * and the contract check all read the rows once from one place, as dbt does with its `__dbt_tmp`.
 */
import { MartqlError } from '../../errors';
import { qualify, type Column, type Session } from '../../warehouse';
import { selectable } from '../relation-sql';
import type { StatementLog } from '../statement-log';

export interface StagedRows {
  /** Qualified, quoted name of the temporary table. */
  relation: string;
  schema: string;
  name: string;
  columns: Column[];
  rows: number;
}

export async function stageRows(
  tx: Session,
  log: StatementLog,
  name: string,
  sql: string,
): Promise<StagedRows> {
  const created = await log.query(
    tx,
    `create temporary table ${qualify('pg_temp', name)} on commit drop as ${selectable(sql)}\n`,
  );
  const { rows } = await tx.query<{ schema: string }>(
    'select n.nspname as schema from pg_catalog.pg_namespace n where n.oid = pg_catalog.pg_my_temp_schema()',
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new MartqlError('INTERNAL', 'the temporary schema of this session was not found');
  return {
    relation: qualify(schema, name),
    schema,
    name,
    columns: await tx.getColumns(schema, name),
    rows: created.rowCount,
  };
}
