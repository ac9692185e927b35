/**
 * Brings a state schema to the version this code knows: creates it on first use, applies the
 * missing migrations in one transaction, and refuses a database from a newer MartQL.
 *
 * Several processes (API replicas, a CLI run) may start against one warehouse at once. Migrating
 * happens under an advisory lock and re-reads the version inside it, so exactly one of them
 * migrates and the others find the work done. The lock is per state schema, so stores in different
 * schemas (tests) do not wait on each other. Before taking the lock a process checks whether there
 * is anything to do at all, so the usual start (already migrated) costs two catalog reads.
 */
import { MartqlError } from '../errors';
import { quoteIdent, type Session, type Warehouse } from '../warehouse';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrateResult {
  /** The version before and after. */
  from: number;
  to: number;
  /** The versions this call applied (empty when another process or an earlier open did it). */
  applied: number[];
}

/** Migrates `schema` to the last of `migrations` (all of MartQL's by default; tests pass their own). */
export async function migrate(
  wh: Warehouse,
  schema: string,
  options: { migrations?: readonly Migration[]; martqlVersion?: string | null } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrations(migrations);
  const latest = migrations.length > 0 ? migrations[migrations.length - 1].version : 0;

  const current = await currentVersion(wh, schema);
  checkNotNewer(schema, current, latest);
  if (current === latest) return { from: current, to: current, applied: [] };

  return wh.withLock(`martql:migrate:${schema}`, () =>
    wh.transaction(async (tx) => {
      const s = quoteIdent(schema);
      await tx.query(`create schema if not exists ${s}`);
      await tx.query(
        `create table if not exists ${s}.schema_version (
          version integer primary key,
          name text not null,
          martql_version text,
          applied_at timestamptz not null default clock_timestamp()
        )`,
      );
      const from = await readVersion(tx, schema);
      checkNotNewer(schema, from, latest);
      const pending = migrations.filter((m) => m.version > from);
      for (const migration of pending) {
        for (const statement of migration.statements(s)) await tx.query(statement);
        await tx.query(
          `insert into ${s}.schema_version (version, name, martql_version) values ($1, $2, $3)`,
          [migration.version, migration.name, options.martqlVersion ?? null],
        );
      }
      return { from, to: latest, applied: pending.map((m) => m.version) };
    }),
  );
}

/** The schema's version; 0 when the schema or its `schema_version` table does not exist yet. */
export async function currentVersion(session: Session, schema: string): Promise<number> {
  const { rows } = await session.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [
    `${quoteIdent(schema)}.schema_version`,
  ]);
  return rows[0].exists ? readVersion(session, schema) : 0;
}

async function readVersion(session: Session, schema: string): Promise<number> {
  const { rows } = await session.query<{ version: number }>(
    `select coalesce(max(version), 0)::integer as version from ${quoteIdent(schema)}.schema_version`,
  );
  return rows[0].version;
}

function checkNotNewer(schema: string, found: number, known: number): void {
  if (found <= known) return;
  throw new MartqlError(
    'DATABASE',
    `the state schema "${schema}" is at version ${found}, but this MartQL knows versions up to ${known}`,
    {
      hint: 'a newer MartQL has migrated this warehouse: upgrade MartQL, or use another state schema',
      data: { reason: 'state-schema-too-new', schema, found, known },
    },
  );
}

/** Versions must run 1, 2, 3, ... so "everything above the current version" is well defined. */
export function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MartqlError(
        'INTERNAL',
        `state migration "${m.name}" has version ${m.version}, expected ${i + 1}`,
      );
    }
  });
}
