/**
 * What every incremental strategy receives: the transaction, the model's table, the temporary
 * relation holding the new rows, and the columns to write (after `on_schema_change`). A strategy
 * writes the new rows into the table and returns the rows it inserted or updated.
 */
import type { Column, Session } from '../../warehouse';
import type { StatementLog } from '../statement-log';
import type { IncrementalSettings } from './settings';

export interface StrategyContext {
  tx: Session;
  log: StatementLog;
  /** The model's table, schema-qualified and quoted. */
  target: string;
  targetName: { schema: string; name: string };
  /** The relation holding this run's rows, qualified and quoted (a temporary table). */
  source: string;
  /** Columns written, in the target's order. */
  columns: string[];
  /** The target's columns after the schema change. */
  targetColumns: Column[];
  settings: IncrementalSettings;
  serverVersionNum: number;
}

export type Strategy = (ctx: StrategyContext) => Promise<number>;
