/**
 * The safe swap: puts a freshly built relation (`<name>__dbt_tmp`) in place of the model's current
 * relation, inside the caller's transaction, so readers see the old relation or the complete new one.
 *
 * The sequence is dbt's (rename the old relation to `<name>__dbt_backup`, rename the intermediate
 * into place, drop the backup) with one addition: views that depend on the old relation survive.
 *
 * Why recreate dependent views rather than copy the new rows into the existing table: Postgres binds
 * a view to the OID of the table it reads, so once the old table is renamed its views follow the
 * backup, and `drop ... cascade` of the backup would silently drop them (dbt's behaviour: its
 * downstream view models are rebuilt later in the run, but a BI view or a model outside the
 * selection is simply gone). Copying rows into the existing table (TRUNCATE + INSERT) would keep
 * the OID, but writes every row twice, cannot change column types or drop columns while a view uses
 * them, and holds the table's exclusive lock for the whole copy instead of for a few renames. So we
 * read every dependent view's definition (transitively, with `pg_get_viewdef` under an empty
 * `search_path` so every name comes back schema-qualified), drop the backup with CASCADE, and
 * recreate the views in dependency order, restoring their options, comments and grants, all in the
 * same transaction. If a view no longer fits the new relation (it reads a column the model dropped)
 * its CREATE fails and the whole build rolls back: the old relation and its views stay as they were.
 * Recreated views are owned by the role that runs the build.
 */
import { MartqlError } from '../errors';
import { qualify, quoteIdent, quoteLiteral, type Relation, type Session } from '../warehouse';
import { intermediateName } from './names';
import { dropIfExists, dropRelation, renameRelation } from './relation-sql';
import type { StatementLog } from './statement-log';

interface DependentView {
  schema: string;
  name: string;
  kind: 'view' | 'materialized_view';
  /** Longest path from the swapped relation; views are recreated in increasing depth. */
  depth: number;
  definition: string;
  options: string[];
  comment: string | null;
  grants: { grantee: string | null; privilege: string; grantable: boolean }[];
  /** CREATE INDEX statements (materialized views only). */
  indexes: string[];
}

// Views (rules) that read a relation, then views that read those, with their longest depth.
const DEPENDENTS = `
with recursive dependents(oid, depth) as (
  select rw.ev_class, 1
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite rw on rw.oid = d.objid
  where d.classid = 'pg_catalog.pg_rewrite'::regclass
    and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = $1 and rw.ev_class <> $1
  union
  select rw.ev_class, dependents.depth + 1
  from dependents
  join pg_catalog.pg_depend d on d.refobjid = dependents.oid
  join pg_catalog.pg_rewrite rw on rw.oid = d.objid
  where d.classid = 'pg_catalog.pg_rewrite'::regclass
    and d.refclassid = 'pg_catalog.pg_class'::regclass
    and rw.ev_class <> dependents.oid
)
select n.nspname as schema, c.relname as name, c.relkind::text as relkind, max(dependents.depth) as depth,
       pg_catalog.pg_get_viewdef(c.oid) as definition,
       coalesce(c.reloptions, '{}') as options,
       pg_catalog.obj_description(c.oid, 'pg_class') as comment,
       (select coalesce(json_agg(json_build_object(
                  'grantee', case when a.grantee = 0 then null else pg_catalog.pg_get_userbyid(a.grantee) end,
                  'privilege', a.privilege_type, 'grantable', a.is_grantable)), '[]')
          from pg_catalog.aclexplode(c.relacl) a where a.grantee <> c.relowner) as grants,
       (select coalesce(json_agg(pg_catalog.pg_get_indexdef(i.indexrelid)), '[]')
          from pg_catalog.pg_index i where i.indrelid = c.oid) as indexes
from dependents
join pg_catalog.pg_class c on c.oid = dependents.oid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm')
group by c.oid, n.nspname
order by max(dependents.depth), n.nspname, c.relname`;

const RELATION_OID = `
select c.oid from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2`;

const PRIVILEGES = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
  'MAINTAIN',
]);

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Every view and materialized view that reads `relation`, directly or through other views. */
async function readDependents(tx: Session, log: StatementLog, relation: Relation): Promise<DependentView[]> {
  const oid = (await tx.query<{ oid: number }>(RELATION_OID, [relation.schema, relation.name])).rows[0]?.oid;
  if (oid === undefined) return [];
  const { rows } = await log.query<Record<string, unknown>>(tx, DEPENDENTS, [oid]);
  return rows.map((r) => ({
    schema: String(r.schema),
    name: String(r.name),
    kind: r.relkind === 'm' ? 'materialized_view' : 'view',
    depth: Number(r.depth),
    definition: String(r.definition).trim().replace(/;$/, ''),
    options: (r.options as string[]) ?? [],
    comment: r.comment === null ? null : String(r.comment),
    grants: parseJson<DependentView['grants']>(r.grants),
    indexes: parseJson<string[]>(r.indexes),
  }));
}

function withOptions(options: string[]): string {
  if (options.length === 0) return '';
  const parts = options.map((option) => {
    const eq = option.indexOf('=');
    return `${quoteIdent(option.slice(0, eq))} = ${quoteLiteral(option.slice(eq + 1))}`;
  });
  return ` with (${parts.join(', ')})`;
}

async function recreate(tx: Session, log: StatementLog, view: DependentView): Promise<void> {
  const name = qualify(view.schema, view.name);
  const keyword = view.kind === 'view' ? 'view' : 'materialized view';
  try {
    await log.query(
      tx,
      view.kind === 'view'
        ? `create view ${name}${withOptions(view.options)} as ${view.definition}`
        : `create materialized view ${name}${withOptions(view.options)} as ${view.definition} with data`,
    );
  } catch (err) {
    throw new MartqlError(
      'DATABASE',
      `the dependent ${keyword} ${name} does not fit the rebuilt relation: ${(err as Error).message}`,
      {
        cause: err,
        hint: `the build was rolled back; change or drop ${name}, or keep the columns it reads`,
        data: { ...((err as MartqlError).data ?? {}), dependent: `${view.schema}.${view.name}` },
      },
    );
  }
  for (const index of view.indexes) await log.query(tx, index);
  if (view.comment !== null)
    await log.query(tx, `comment on ${keyword} ${name} is ${quoteLiteral(view.comment)}`);
  for (const grant of view.grants) {
    if (!PRIVILEGES.has(grant.privilege)) continue;
    const grantee = grant.grantee === null ? 'public' : quoteIdent(grant.grantee);
    const option = grant.grantable ? ' with grant option' : '';
    await log.query(tx, `grant ${grant.privilege.toLowerCase()} on ${name} to ${grantee}${option}`);
  }
}

const LOCK_TIMEOUT_MS = 250;
const LOCK_ATTEMPTS = 40;
// lock_not_available (lock_timeout expired), deadlock_detected.
const LOCK_CONFLICTS = new Set(['55P03', '40P01']);

/**
 * Takes the exclusive locks the swap needs on the relation and its dependent views, without ever
 * waiting for one lock while holding another for long. Readers lock a view and then the relations
 * it reads, or a table first and then a view in the same query, so any fixed order of ours can
 * close a cycle with some reader; Postgres would then abort one side after `deadlock_timeout` (1 s),
 * a reader's query or this build. Instead each attempt runs under a short `lock_timeout` inside a
 * savepoint: on a timeout (or a deadlock report) it rolls back to the savepoint, which releases the
 * locks this attempt took so the reader can finish, waits a little, and tries again. While we wait
 * in the lock queue new readers queue behind us, so an attempt fails only on a real cycle.
 */
async function lockForSwap(tx: Session, log: StatementLog, relations: string[]): Promise<void> {
  const sql = `lock table ${relations.join(', ')} in access exclusive mode`;
  const saved = (await tx.query<{ t: string }>(`select pg_catalog.current_setting('lock_timeout') as t`))
    .rows[0].t;
  for (let attempt = 1; ; attempt++) {
    await tx.query('savepoint martql_swap_lock');
    await tx.query(`select pg_catalog.set_config('lock_timeout', $1, true)`, [`${LOCK_TIMEOUT_MS}ms`]);
    try {
      await log.query(tx, sql);
      await tx.query(`select pg_catalog.set_config('lock_timeout', $1, true)`, [saved]);
      await tx.query('release savepoint martql_swap_lock');
      return;
    } catch (err) {
      const sqlstate = (err as MartqlError).data?.sqlstate;
      if (attempt >= LOCK_ATTEMPTS || typeof sqlstate !== 'string' || !LOCK_CONFLICTS.has(sqlstate))
        throw err;
      await tx.query('rollback to savepoint martql_swap_lock');
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * Math.min(attempt, 5)));
    }
  }
}

/**
 * Replaces `existing` (or nothing) by the relation `intermediate` in the same schema, renamed to
 * `target`. Runs inside the caller's transaction; nothing named `__dbt_backup` survives it.
 */
export async function swapIntoPlace(
  tx: Session,
  log: StatementLog,
  args: { existing: Relation | null; intermediate: Relation; target: string },
): Promise<void> {
  const { existing, intermediate, target } = args;
  if (!existing) {
    await renameRelation(tx, log, intermediate, target);
    return;
  }
  const backupName = intermediateName(target, '__dbt_backup');
  await dropIfExists(tx, log, existing.schema, backupName);

  const saved = (await tx.query<{ path: string }>(`select pg_catalog.current_setting('search_path') as path`))
    .rows[0].path;
  await tx.query(`select pg_catalog.set_config('search_path', '', true)`);
  const dependents = await readDependents(tx, log, existing);

  // LOCK TABLE takes tables (a partitioned one with its partitions) and views; a materialized view
  // is locked by the DROP below.
  const lockable = dependents.filter((d) => d.kind === 'view').map((d) => qualify(d.schema, d.name));
  if (existing.type === 'table' || existing.type === 'partitioned_table' || existing.type === 'view') {
    await lockForSwap(tx, log, [...lockable.reverse(), qualify(existing.schema, existing.name)]);
  }

  await renameRelation(tx, log, existing, backupName);
  await renameRelation(tx, log, intermediate, target);
  await dropRelation(tx, log, { ...existing, name: backupName }, { cascade: dependents.length > 0 });
  for (const view of dependents) await recreate(tx, log, view);
  await tx.query(`select pg_catalog.set_config('search_path', $1, true)`, [saved]);
}
