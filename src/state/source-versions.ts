/**
 * `source_versions`: a version counter per tracked table, so freshness can tell cheaply and exactly
 * whether a source changed since a model was built (compare the version now with the one recorded
 * in the model's `upstream_versions`).
 *
 * Counters are bumped by a statement-level trigger MartQL installs on the table (one bump per
 * INSERT/UPDATE/DELETE/TRUNCATE statement, however many rows it touched), or by hand where a trigger
 * is not allowed (a table MartQL does not own, a foreign table). The bump commits or rolls back with
 * the change, so a version never announces data a reader cannot see yet.
 */
import { createHash } from 'node:crypto';
import { qualify, quoteIdent, type Session, type TableName } from '../warehouse';
import { iso, json, Params } from './sql';
import type { SourceVersion } from './types';

/**
 * The trigger's name on the source table. One per state schema, so stores in different schemas
 * (tests, or two MartQL deployments reading one source) each keep their own counter.
 */
export function changeTriggerName(stateSchema: string): string {
  if (stateSchema === 'martql') return 'martql_source_version';
  return `martql_source_version_${createHash('sha256').update(stateSchema).digest('hex').slice(0, 12)}`;
}

/** Installs (or replaces) the trigger and registers the table at version 0; run it in a transaction. */
export async function installChangeTrigger(
  tx: Session,
  stateSchema: string,
  table: TableName,
): Promise<void> {
  const s = quoteIdent(stateSchema);
  await tx.query(
    `create or replace trigger ${quoteIdent(changeTriggerName(stateSchema))}
        after insert or update or delete or truncate on ${qualify(table.schema, table.name)}
        for each statement execute function ${s}.bump_source_version()`,
  );
  await tx.query(
    `insert into ${s}.source_versions (schema_name, table_name, version, changed_at, tracked_by)
      values ($1, $2, 0, null, 'trigger')
      on conflict (schema_name, table_name) do update set tracked_by = 'trigger'`,
    [table.schema, table.name],
  );
}

/** Removes the trigger; the version row stays, so versions recorded by built models remain comparable. */
export async function removeChangeTrigger(
  session: Session,
  stateSchema: string,
  table: TableName,
): Promise<void> {
  await session.query(
    `drop trigger if exists ${quoteIdent(changeTriggerName(stateSchema))} on ${qualify(table.schema, table.name)}`,
  );
}

/** Bumps a table's version by hand (registering it as manually tracked if new); returns the new version. */
export async function bumpSourceVersion(session: Session, s: string, table: TableName): Promise<number> {
  const { rows } = await session.query<{ version: number }>(
    `insert into ${s}.source_versions as sv (schema_name, table_name, version, changed_at, tracked_by)
    values ($1, $2, 1, clock_timestamp(), 'manual')
    on conflict (schema_name, table_name)
    do update set version = sv.version + 1, changed_at = excluded.changed_at
    returning version`,
    [table.schema, table.name],
  );
  return rows[0].version;
}

interface SourceVersionSqlRow {
  schema_name: string;
  table_name: string;
  version: number | null;
  changed_at: string | null;
}

/** The versions of many tables in one query, in the order asked; untracked tables read as version 0. */
export async function selectSourceVersions(
  session: Session,
  s: string,
  tables: readonly TableName[],
): Promise<SourceVersion[]> {
  if (tables.length === 0) return [];
  const p = new Params();
  const { rows } = await session.query<SourceVersionSqlRow>(
    `select t.elem->>0 as schema_name, t.elem->>1 as table_name, sv.version, ${iso('sv.changed_at')} as changed_at
    from jsonb_array_elements(${p.add(json(tables.map((t) => [t.schema, t.name])), 'jsonb')})
      with ordinality as t(elem, ord)
    left join ${s}.source_versions sv
      on sv.schema_name = t.elem->>0 and sv.table_name = t.elem->>1
    order by t.ord`,
    p.values,
  );
  return rows.map((r) => ({
    schema: r.schema_name,
    name: r.table_name,
    version: r.version ?? 0,
    changedAt: r.changed_at,
    tracked: r.version !== null,
  }));
}
