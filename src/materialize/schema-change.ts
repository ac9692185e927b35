/**
 * `on_schema_change`: what an incremental run does when the model's SQL now produces different
 * columns than its table has.
 *
 * - `ignore` (default): the table keeps its columns; new columns are not written. As in dbt, a
 *   table column the SQL no longer produces makes the run fail (here with a message naming it).
 * - `fail`: any difference fails the run, naming the added, removed and retyped columns.
 * - `append_new_columns`: add the new columns; removed ones stay and get NULL in new rows.
 * - `sync_all_columns`: add new columns, drop removed ones, change types that changed.
 * No mode backfills old rows of a new column (a full refresh does). The ALTERs run in the run's
 * transaction, so a failing run leaves the table's columns as they were too.
 */
import { MartqlError } from '../errors';
import { qualify, quoteIdent, type Column, type Session } from '../warehouse';
import { sameType } from './data-types';
import type { OnSchemaChange } from './incremental/settings';
import type { StatementLog } from './statement-log';

export interface SchemaDiff {
  /** In the new rows, not in the table. */
  added: Column[];
  /** In the table, not in the new rows. */
  removed: Column[];
  /** In both with different types. */
  changed: { name: string; from: string; to: string }[];
}

export function diffColumns(source: Column[], target: Column[]): SchemaDiff {
  const targetByName = new Map(target.map((c) => [c.name, c]));
  const sourceNames = new Set(source.map((c) => c.name));
  const changed: SchemaDiff['changed'] = [];
  for (const c of source) {
    const t = targetByName.get(c.name);
    if (t && !sameType(t.dataType, c.dataType))
      changed.push({ name: c.name, from: t.dataType, to: c.dataType });
  }
  return {
    added: source.filter((c) => !targetByName.has(c.name)),
    removed: target.filter((c) => !sourceNames.has(c.name)),
    changed,
  };
}

export function isEmptyDiff(diff: SchemaDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

export function describeDiff(diff: SchemaDiff): string {
  const parts: string[] = [];
  if (diff.added.length)
    parts.push(`new columns: ${diff.added.map((c) => `"${c.name}" (${c.dataType})`).join(', ')}`);
  if (diff.removed.length)
    parts.push(`removed columns: ${diff.removed.map((c) => `"${c.name}"`).join(', ')}`);
  if (diff.changed.length)
    parts.push(`changed types: ${diff.changed.map((c) => `"${c.name}" ${c.from} -> ${c.to}`).join(', ')}`);
  return parts.join('; ');
}

export interface SchemaChangePlan {
  /** ALTER TABLE clauses to run on the target (`add column ...`, `drop column ...`). */
  alterations: string[];
  /** The columns the strategy writes, in the target's order (new ones last). */
  columns: string[];
}

/** Pure: what `mode` does about `diff`. Throws for `fail` and for `ignore` with removed columns. */
export function planSchemaChange(
  mode: OnSchemaChange,
  diff: SchemaDiff,
  target: Column[],
  model: string,
): SchemaChangePlan {
  const removed = new Set(diff.removed.map((c) => c.name));
  const kept = target.filter((c) => !removed.has(c.name)).map((c) => c.name);
  const added = diff.added.map((c) => c.name);
  const addClauses = diff.added.map((c) => `add column ${quoteIdent(c.name)} ${c.dataType}`);
  const mismatch = (why: string, hint: string) =>
    new MartqlError(
      'CONTRACT',
      `${model}: the model's columns no longer match its table (${why}): ${describeDiff(diff)}`,
      {
        hint,
        data: { onSchemaChange: mode, added, removed: [...removed], changed: diff.changed },
      },
    );
  switch (mode) {
    case 'ignore':
      if (removed.size > 0) {
        throw mismatch(
          'on_schema_change: ignore',
          'the table still has the removed columns; set on_schema_change to append_new_columns or sync_all_columns, or run with --full-refresh',
        );
      }
      return { alterations: [], columns: kept };
    case 'fail':
      if (!isEmptyDiff(diff)) {
        throw mismatch(
          'on_schema_change: fail',
          'set on_schema_change to append_new_columns or sync_all_columns, or run with --full-refresh',
        );
      }
      return { alterations: [], columns: kept };
    case 'append_new_columns':
      return { alterations: addClauses, columns: [...kept, ...added] };
    case 'sync_all_columns':
      return {
        alterations: [
          ...addClauses,
          ...diff.removed.map((c) => `drop column ${quoteIdent(c.name)}`),
          ...diff.changed.map(
            (c) => `alter column ${quoteIdent(c.name)} type ${c.to} using ${quoteIdent(c.name)}::${c.to}`,
          ),
        ],
        columns: [...kept, ...added],
      };
    default: {
      const never: never = mode;
      throw new MartqlError('INTERNAL', `unknown on_schema_change ${String(never)}`);
    }
  }
}

/** Compares, alters the target if the mode says so, and returns the columns to write and the target's columns. */
export async function applySchemaChange(
  tx: Session,
  log: StatementLog,
  mode: OnSchemaChange,
  source: Column[],
  target: { schema: string; name: string },
): Promise<{ columns: string[]; targetColumns: Column[] }> {
  const current = await tx.getColumns(target.schema, target.name);
  const diff = diffColumns(source, current);
  const plan = planSchemaChange(mode, diff, current, `${target.schema}.${target.name}`);
  if (plan.alterations.length === 0) return { columns: plan.columns, targetColumns: current };
  await log.query(tx, `alter table ${qualify(target.schema, target.name)} ${plan.alterations.join(', ')}`);
  return { columns: plan.columns, targetColumns: await tx.getColumns(target.schema, target.name) };
}
