/**
 * A snapshot's config, read and checked once into a typed spec: which strategy detects changes,
 * which columns identify a row, what happens to rows that disappear, and what the meta columns are
 * called.
 *
 * The parse phase calls `snapshotSpec` for every enabled snapshot, so a missing `unique_key` or an
 * unknown strategy fails `martql compile` with the snapshot's file, as dbt fails at parse time,
 * rather than in the middle of a build.
 */
import { MartqlError, type SourceLocation } from '../errors';
import type { NodeConfig } from '../project/types';

export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

/** The meta columns' names (dbt 1.9's `snapshot_meta_column_names` renames them). */
export interface MetaColumns {
  validFrom: string;
  validTo: string;
  scdId: string;
  updatedAt: string;
  isDeleted: string;
}

export type SnapshotStrategy =
  /** A row changed when its `updated_at` is later than the current version's `valid_from`. */
  | { kind: 'timestamp'; updatedAt: string }
  /**
   * A row changed when any check column differs (null-safely). Versions are stamped with the
   * snapshot time, or with `updated_at` when one is configured.
   */
  | { kind: 'check'; checkCols: 'all' | string[]; updatedAt?: string };

export interface SnapshotSpec {
  strategy: SnapshotStrategy;
  /** SQL expressions over the snapshot query's columns; a list means a composite key. */
  uniqueKey: string[];
  hardDeletes: HardDeletes;
  columns: MetaColumns;
  /** `dbt_valid_to_current`: the SQL value current rows carry in `valid_to` instead of null. */
  validToCurrent?: string;
}

const META_KEYS: Record<keyof MetaColumns, string> = {
  validFrom: 'dbt_valid_from',
  validTo: 'dbt_valid_to',
  scdId: 'dbt_scd_id',
  updatedAt: 'dbt_updated_at',
  isDeleted: 'dbt_is_deleted',
};

/** Reads and checks the config of snapshot `name`; errors point at `location`. */
export function snapshotSpec(name: string, config: NodeConfig, location: SourceLocation): SnapshotSpec {
  const fail = (message: string, hint?: string): never => {
    throw new MartqlError('PROJECT_CONFIG', `snapshot ${name}: ${message}`, { location, hint });
  };
  const text = (key: string): string | undefined => {
    const value = config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') fail(`\`${key}\` must be a column name`);
    return (value as string).trim();
  };

  const uniqueKey = readUniqueKey(config.unique_key, fail);
  const updatedAt = text('updated_at');
  let strategy: SnapshotStrategy;
  switch (config.strategy) {
    case 'timestamp':
      if (!updatedAt) fail('the timestamp strategy needs `updated_at`', "config(updated_at='updated_at')");
      strategy = { kind: 'timestamp', updatedAt: updatedAt! };
      break;
    case 'check':
      strategy = { kind: 'check', checkCols: readCheckCols(config.check_cols, fail) };
      if (updatedAt) strategy.updatedAt = updatedAt;
      break;
    case undefined:
    case null:
      return fail('`strategy` is required', "config(strategy='timestamp') or config(strategy='check')");
    default:
      return fail(`unknown strategy '${String(config.strategy)}'`, "use 'timestamp' or 'check'");
  }

  const spec: SnapshotSpec = {
    strategy,
    uniqueKey,
    hardDeletes: readHardDeletes(config, fail),
    columns: readMetaColumns(config.snapshot_meta_column_names, fail),
  };
  const current = config.dbt_valid_to_current;
  if (current !== undefined && current !== null) {
    if (typeof current !== 'string' || current.trim() === '') {
      fail('`dbt_valid_to_current` must be a SQL value such as "\'9999-12-31\'::timestamp"');
    }
    spec.validToCurrent = (current as string).trim();
  }
  return spec;
}

function readUniqueKey(value: unknown, fail: (m: string, h?: string) => never): string[] {
  if (value === undefined || value === null)
    return fail('`unique_key` is required', "config(unique_key='id')");
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((k) => typeof k === 'string' && k.trim() !== '')) {
    return fail('`unique_key` must be a column (or expression) or a list of columns');
  }
  return list.map((k: string) => k.trim());
}

function readCheckCols(value: unknown, fail: (m: string, h?: string) => never): 'all' | string[] {
  if (value === 'all') return 'all';
  if (Array.isArray(value) && value.length > 0 && value.every((c) => typeof c === 'string' && c !== '')) {
    return value.map((c: string) => c.trim());
  }
  return fail("the check strategy needs `check_cols`: 'all' or a list of columns", "check_cols=['status']");
}

function readHardDeletes(config: NodeConfig, fail: (m: string, h?: string) => never): HardDeletes {
  const value = config.hard_deletes;
  if (value === undefined || value === null)
    return config.invalidate_hard_deletes === true ? 'invalidate' : 'ignore';
  if (value === 'ignore' || value === 'invalidate' || value === 'new_record') return value;
  return fail(`unknown hard_deletes '${String(value)}'`, "use 'ignore', 'invalidate' or 'new_record'");
}

function readMetaColumns(value: unknown, fail: (m: string, h?: string) => never): MetaColumns {
  const names: Record<string, unknown> =
    value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    fail('`snapshot_meta_column_names` must be a mapping such as {dbt_valid_from: start_date}');
  }
  const known = new Set(Object.values(META_KEYS));
  for (const key of Object.keys(names)) {
    if (!known.has(key)) fail(`unknown key '${key}' in snapshot_meta_column_names`, [...known].join(', '));
  }
  const out = {} as MetaColumns;
  for (const [field, key] of Object.entries(META_KEYS) as [keyof MetaColumns, string][]) {
    const name = names[key];
    if (name !== undefined && name !== null && (typeof name !== 'string' || name === '')) {
      fail(`snapshot_meta_column_names.${key} must be a column name`);
    }
    // dbt writes these names unquoted, so Postgres folds them to lower case.
    out[field] = typeof name === 'string' ? name.toLowerCase() : key;
  }
  const all = Object.values(out).map((n) => n.toLowerCase());
  if (new Set(all).size !== all.length) fail('two meta columns have the same name');
  return out;
}
