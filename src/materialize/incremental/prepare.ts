/**
 * The checks every incremental write makes on its staged rows before touching the table: the
 * contract (the SQL still produces the declared columns and types), the unique key (present in the
 * rows), and `on_schema_change` (which may alter the table). Returns what the strategy writes.
 */
import { MartqlError } from '../../errors';
import type { Column, Session } from '../../warehouse';
import { checkContract, contractEnforced, contractError } from '../contract';
import { applySchemaChange } from '../schema-change';
import type { StatementLog } from '../statement-log';
import type { MaterializeRequest } from '../types';
import type { IncrementalSettings } from './settings';
import type { StagedRows } from './stage';

export async function prepareTarget(
  tx: Session,
  log: StatementLog,
  req: MaterializeRequest,
  settings: IncrementalSettings,
  staged: StagedRows,
): Promise<{ columns: string[]; targetColumns: Column[] }> {
  const { schema, identifier } = req.relation;
  if (contractEnforced(req.config)) {
    const problems = checkContract(req.columns, staged.columns);
    if (problems.length > 0) throw contractError(req.relation, problems);
  }
  const stagedNames = new Set(staged.columns.map((c) => c.name));
  const needed = [...settings.uniqueKey, ...(settings.microbatch ? [settings.microbatch.eventTime] : [])];
  const missing = needed.filter((k) => !stagedNames.has(k));
  if (missing.length > 0) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${schema}.${identifier}: the model's SQL does not produce ${missing.map((k) => `"${k}"`).join(', ')}, ` +
        `named by ${settings.microbatch && missing.includes(settings.microbatch.eventTime) ? 'event_time' : 'unique_key'}`,
      { hint: `the model produces: ${[...stagedNames].join(', ')}` },
    );
  }
  return applySchemaChange(tx, log, settings.onSchemaChange, staged.columns, { schema, name: identifier });
}
