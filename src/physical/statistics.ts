/**
 * Planner statistics after a build.
 *
 * A table built with CREATE TABLE AS has no statistics until autovacuum gets to it, which can be a
 * minute later, and autovacuum never analyzes a partitioned table's parent at all. Until then the
 * planner guesses row counts and value distributions, and a BI filter that should use an index can
 * get a sequential scan or a bad join order. So a build that changed a relation runs ANALYZE itself:
 * a rebuild analyzes the new table before the swap (readers never see it without statistics), an
 * incremental run analyzes what it wrote to. `analyze: false` in a model's config turns it off (a
 * huge table rebuilt often, whose statistics the operator manages).
 */
import type { StatementLog } from '../materialize/statement-log';
import { qualify, type Session, type TableName } from '../warehouse';

/** ANALYZE of one table (a partitioned table's ANALYZE also analyzes each partition). */
export async function analyzeTable(tx: Session, log: StatementLog, table: TableName): Promise<void> {
  await log.query(tx, `analyze ${qualify(table.schema, table.name)}`);
}

/** ANALYZE of several tables in one statement. */
export async function analyzeTables(tx: Session, log: StatementLog, tables: TableName[]): Promise<void> {
  if (tables.length === 0) return;
  await log.query(tx, `analyze ${tables.map((t) => qualify(t.schema, t.name)).join(', ')}`);
}
