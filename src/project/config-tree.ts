/**
 * Resolves the `models:` / `seeds:` / `data_tests:` / `snapshots:` / `sources:` trees of
 * `dbt_project.yml` to the config of one node, by its fqn.
 *
 * A tree mixes two kinds of keys: configs (`+materialized`, or a bare known config name such as
 * `materialized`) and path segments (a package name, a folder, a file name) to descend into. A key
 * with `+` is always a config. A bare key is a path when some node of that kind actually lives
 * there, otherwise a config when dbt knows it as one; anything else is a path that matches nothing,
 * which dbt warns about, so it becomes a note. Deciding this needs every node's fqn, which is why
 * trees are compiled once per load, after the files are listed, and then walked per node.
 */
import { mergeConfigs, normalizeConfigKey } from './merge-configs';
import { isMapping } from './yaml-file';

/** Config names dbt accepts in project trees (all resource types), plus MartQL's own. */
export const KNOWN_CONFIG_NAMES = new Set([
  'enabled',
  'tags',
  'meta',
  'docs',
  'materialized',
  'schema',
  'database',
  'alias',
  'pre_hook',
  'post_hook',
  'persist_docs',
  'full_refresh',
  'sql_header',
  'unique_key',
  'on_schema_change',
  'on_configuration_change',
  'incremental_strategy',
  'incremental_predicates',
  'grants',
  'contract',
  'access',
  'group',
  'batch_size',
  'lookback',
  'begin',
  'event_time',
  'concurrent_batches',
  'column_types',
  'delimiter',
  'quote_columns',
  'quoting',
  'strategy',
  'target_schema',
  'target_database',
  'check_cols',
  'updated_at',
  'invalidate_hard_deletes',
  'hard_deletes',
  'snapshot_meta_column_names',
  'dbt_valid_to_current',
  'severity',
  'warn_if',
  'error_if',
  'fail_calc',
  'where',
  'limit',
  'store_failures',
  'store_failures_as',
  'freshness',
  'loaded_at_field',
  'loaded_at_query',
  'indexes',
  'unlogged',
  'packages',
  'labels',
  // MartQL's own configs.
  'graphql',
  'distributed_by',
  'refresh_key',
]);

/** One level of a compiled tree: its own configs and the path segments below it. */
export interface CompiledTree {
  config: Record<string, unknown>;
  children: Map<string, CompiledTree>;
}

/** Every fqn prefix of a set of nodes, joined with `/`, used to tell folders from config names. */
export function fqnPrefixes(fqns: Iterable<string[]>): Set<string> {
  const out = new Set<string>();
  for (const fqn of fqns) {
    let path = '';
    for (const part of fqn) {
      path = path ? `${path}/${part}` : part;
      out.add(path);
    }
  }
  return out;
}

/**
 * Compiles a raw tree. `known` holds the fqn prefixes of the nodes it may apply to; `where` names
 * the tree in notes (`dbt_project.yml models`).
 */
export function compileTree(
  tree: Record<string, unknown>,
  known: Set<string>,
  where: string,
  notes: string[],
): CompiledTree {
  return compileLevel(tree, '', known, where, notes);
}

function compileLevel(
  level: Record<string, unknown>,
  path: string,
  known: Set<string>,
  where: string,
  notes: string[],
): CompiledTree {
  const configLayer: Record<string, unknown> = {};
  const children = new Map<string, CompiledTree>();
  for (const [key, value] of Object.entries(level)) {
    if (key.startsWith('+')) {
      configLayer[key] = value;
      continue;
    }
    const childPath = path ? `${path}/${key}` : key;
    if (known.has(childPath) && (isMapping(value) || value === null)) {
      children.set(key, compileLevel(value ?? {}, childPath, known, where, notes));
    } else if (KNOWN_CONFIG_NAMES.has(normalizeConfigKey(key))) {
      configLayer[key] = value;
    } else if (isMapping(value)) {
      notes.push(`${where}: the config path ${childPath.split('/').join('.')} matches no resource`);
    } else {
      notes.push(
        `${where}: \`${key}\` at ${path ? path.split('/').join('.') : 'top level'} is not a known config`,
      );
    }
  }
  return { config: mergeConfigs({}, configLayer), children };
}

/** The tree's configs along `fqn`, outermost first, merged into `base`. */
export function applyTree<T extends Record<string, unknown>>(
  base: T,
  tree: CompiledTree | undefined,
  fqn: string[],
): T {
  if (!tree) return base;
  let out = mergeConfigs(base, tree.config);
  let level: CompiledTree | undefined = tree;
  for (const part of fqn) {
    level = level.children.get(part);
    if (!level) break;
    out = mergeConfigs(out, level.config);
  }
  return out;
}
