/**
 * How two layers of config combine, the one rule shared by `dbt_project.yml` folders, YAML
 * `config:` blocks and (later, in the compiler) `config()` calls in SQL.
 *
 * dbt does not simply override: `tags` and hooks accumulate down the layers, and dict configs such
 * as `meta` are updated key by key (the deeper layer's keys win, one level deep, as dbt's `update`).
 * Everything else is replaced by the deeper layer. Keys are normalized first, so `+pre-hook`,
 * `pre-hook` and `pre_hook` are one config.
 */
import type { HookConfig, HookObject, NodeConfig } from './types';

/**
 * Configs that accumulate, deduplicated in order of first appearance: tags, and hook lists, where
 * a hook keeps its `transaction` flag (`asHook`).
 */
const APPEND_KEYS = new Set(['tags', 'pre_hook', 'post_hook']);

/** Dict configs merged key by key, deeper keys winning. */
const UPDATE_KEYS = new Set([
  'meta',
  'docs',
  'contract',
  'quoting',
  'column_types',
  'persist_docs',
  'grants',
  'snapshot_meta_column_names',
]);

/** `+pre-hook` → `pre_hook`, `+materialized` → `materialized`. */
export function normalizeConfigKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  if (bare === 'pre-hook') return 'pre_hook';
  if (bare === 'post-hook') return 'post_hook';
  return bare;
}

/** A tag list as a list of strings (`tags: a` means `[a]`). */
function asStringList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    out.push(String(item));
  }
  return out;
}

function appendUnique(base: string[], extra: string[]): string[] {
  const out = [...base];
  const seen = new Set(base);
  for (const item of extra) {
    if (!seen.has(item)) {
      seen.add(item);
      out.push(item);
    }
  }
  return out;
}

/**
 * One hook as a config holds it. Most hooks are plain SQL and stay strings, the cheapest form to
 * merge and compare; only a hook that says more than its SQL (`transaction: false`, or an `index`)
 * is kept as an object, so the flag survives every layer.
 */
function asHook(item: unknown): HookConfig | undefined {
  if (typeof item === 'string') return HOOK_JSON.test(item) ? hookFromJson(item) : item;
  if (item === null || item === undefined) return undefined;
  if (typeof item !== 'object' || Array.isArray(item) || !('sql' in item)) return String(item);
  const { sql, transaction, index } = item as { sql: unknown; transaction?: unknown; index?: unknown };
  // YAML 1.1, which dbt reads, also spells false `no` and `off`.
  const outside =
    transaction === false || (typeof transaction === 'string' && /^(false|no|off)$/i.test(transaction));
  const position = typeof index === 'number' ? index : undefined;
  if (!outside && position === undefined) return String(sql);
  const hook: HookObject = { sql: String(sql), transaction: !outside };
  if (position !== undefined) hook.index = position;
  return hook;
}

/** Text that may be a hook written as JSON: `{"` first (a Jinja hook starts `{{` or `{%`). */
const HOOK_JSON = /^\s*\{\s*"/;

/**
 * A hook given as JSON text, `{"sql": ..., "transaction": false}`: what dbt's before_begin(),
 * after_commit() and in_transaction() write (they are macros printing `tojson` of the hook), so a
 * macro that prints one, or a `tojson` of a hook dict, hands the config this text. Anything that
 * does not parse to an object with `sql` is SQL.
 */
function hookFromJson(text: string): HookConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return isPlainObject(parsed) && 'sql' in parsed ? asHook(parsed)! : text;
}

/** A hook list (`pre-hook: sql` means `[sql]`), each hook as `asHook` keeps it. */
function asHookList(value: unknown): HookConfig[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: HookConfig[] = [];
  for (const item of items) {
    const hook = asHook(item);
    if (hook !== undefined) out.push(hook);
  }
  return out;
}

/** What makes two hooks the same hook: the SQL, and for an object also its flag and index. */
function hookKey(hook: HookConfig): string {
  return typeof hook === 'string' ? hook : `${hook.sql}\0${hook.transaction}\0${hook.index ?? ''}`;
}

/** `extra`'s hooks after `base`'s, a hook already there (same SQL and flag) not added again. */
function appendHooks(base: unknown, extra: unknown): HookConfig[] {
  const out = asHookList(base);
  const more = asHookList(extra);
  if (more.length === 0) return out;
  const seen = new Set(out.map(hookKey));
  for (const hook of more) {
    const key = hookKey(hook);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(hook);
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Normalizes keys and list-valued configs of one layer without merging it into anything. */
export function normalizeConfig(layer: Record<string, unknown>): Record<string, unknown> {
  return mergeConfigs({}, layer);
}

/**
 * `override` applied over `base` with dbt's merge rules; neither argument is modified.
 * An `undefined` value in `override` leaves the base value; `null` replaces it.
 */
export function mergeConfigs<T extends Record<string, unknown>>(
  base: T,
  override: Record<string, unknown> | undefined | null,
): T {
  const out: Record<string, unknown> = { ...base };
  if (!override) return out as T;
  // for-in over own keys rather than Object.entries: this runs several times per node, and the
  // entry pairs were a good part of what a large project's parse allocated.
  for (const rawKey in override) {
    if (!Object.prototype.hasOwnProperty.call(override, rawKey)) continue;
    const value = override[rawKey];
    if (value === undefined) continue;
    const key = normalizeConfigKey(rawKey);
    if (APPEND_KEYS.has(key)) {
      out[key] =
        key === 'tags'
          ? appendUnique(asStringList(out[key]), asStringList(value))
          : appendHooks(out[key], value);
    } else if (UPDATE_KEYS.has(key) && isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = { ...(out[key] as Record<string, unknown>), ...value };
    } else if (isPlainObject(value)) {
      out[key] = { ...value };
    } else {
      out[key] = value;
    }
  }
  return out as T;
}

export type DefaultsKind = 'model' | 'seed' | 'snapshot' | 'analysis' | 'test';

/** The config every node of a kind starts from, before any project or property layer. */
export function defaultConfig(kind: DefaultsKind): NodeConfig {
  // Literals rather than spreads of a common base: a large project makes thousands of these.
  switch (kind) {
    case 'model':
    case 'analysis':
      return { enabled: true, materialized: 'view', tags: [], meta: {}, pre_hook: [], post_hook: [] };
    case 'seed':
      return { enabled: true, materialized: 'seed', tags: [], meta: {}, pre_hook: [], post_hook: [] };
    case 'snapshot':
      return { enabled: true, materialized: 'snapshot', tags: [], meta: {}, pre_hook: [], post_hook: [] };
    case 'test':
      return {
        enabled: true,
        materialized: 'test',
        tags: [],
        meta: {},
        pre_hook: [],
        post_hook: [],
        severity: 'ERROR',
        warn_if: '!= 0',
        error_if: '!= 0',
        fail_calc: 'count(*)',
      };
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown node kind ${String(unreachable)}`);
    }
  }
}
