/**
 * Where a node is built: its schema, alias and database, decided by the `generate_schema_name`,
 * `generate_alias_name` and `generate_database_name` macros as in dbt, so a project that overrides
 * them (a common dbt practice) gets the relation names it expects.
 */
import { MartqlError } from '../errors';
import type { NodeRelation, ParsedNode } from '../graph/types';
import { callMacro } from '../jinja/engine';
import { createNodeContext } from '../jinja/context/node-context';
import type { RenderScope } from '../jinja/context/render-scope';
import type { CompileSession } from './compile-session';

function nodeArg(node: ParsedNode): Record<string, unknown> {
  return {
    name: node.name,
    unique_id: node.uniqueId,
    resource_type: node.resourceType,
    package_name: node.package,
    path: node.path,
    original_file_path: node.path,
    fqn: node.fqn,
    config: node.config,
    tags: node.config.tags,
    version: node.config.version ?? null,
  };
}

function callNaming(
  scope: RenderScope,
  pkg: string,
  macro: string,
  args: unknown[],
  node: ParsedNode,
): string {
  const fn = scope.lookup(pkg, macro);
  if (typeof fn !== 'function') {
    throw new MartqlError('UNKNOWN_MACRO', `macro '${macro}' is not defined`, { location: node.location });
  }
  try {
    return String(scope.run(() => callMacro(fn, args))).trim();
  } catch (err) {
    if (err instanceof MartqlError) throw err.at(node.location);
    throw new MartqlError('JINJA_RENDER', `${macro} failed for ${node.uniqueId}: ${(err as Error).message}`, {
      location: node.location,
      cause: err,
    });
  }
}

/** A config value the built-in naming macros read the same way as this file does: none or a string. */
function plain(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * What the built-in `generate_database_name`, `generate_schema_name` and `generate_alias_name`
 * (include/dbt/macros/naming.sql) render for this node, computed without rendering them: a macro
 * call per name per node was most of the parse of a large project. Only when no package overrides
 * them (or their `default__` implementations) and the values involved are strings or none; anything
 * else is left to the macros (undefined).
 */
function builtinRelation(cs: CompileSession, node: ParsedNode): NodeRelation | undefined {
  const { config } = node;
  const macros = cs.macros;
  const names = ['generate_database_name', 'generate_schema_name', 'generate_alias_name'];
  if (!names.every((name) => macros.isBuiltinUnchanged(node.package, name, true))) return undefined;
  if (!plain(config.database) || !plain(config.schema) || !plain(config.alias)) return undefined;
  if (node.resourceType === 'snapshot') return undefined;
  if (config.version !== undefined && config.version !== null) return undefined;
  const target = cs.target;
  const custom = (value: string | null | undefined) => (value === undefined ? null : value);
  const database = custom(config.database);
  const schema = custom(config.schema);
  const alias = custom(config.alias);
  return {
    database: String(database === null ? target.database : database.trim()).trim(),
    schema: String(schema === null ? target.schema : `${target.schema}_${schema.trim()}`).trim(),
    identifier: (alias ? alias.trim() : node.name).trim(),
  };
}

export function decideRelation(cs: CompileSession, node: ParsedNode): NodeRelation {
  const fast = builtinRelation(cs, node);
  if (fast) return fast;
  const { scope } = createNodeContext(cs.settings, {
    package: node.package,
    path: node.location.file,
    execute: false,
    ref: () => null,
    source: () => null,
    config: { set: () => undefined, get: (key) => node.config[key] },
    model: nodeArg(node),
    isIncremental: () => false,
  });
  const arg = nodeArg(node);
  const custom = (key: string) => (node.config[key] === undefined ? null : node.config[key]);
  // A snapshot's `target_schema` / `target_database` are used as written, bypassing the naming
  // macros, as in dbt (which applies generate_schema_name only to the newer `schema` config).
  const legacy = (key: string): string | undefined =>
    node.resourceType === 'snapshot' && typeof node.config[key] === 'string'
      ? (node.config[key] as string)
      : undefined;
  return {
    database:
      legacy('target_database') ??
      callNaming(scope, node.package, 'generate_database_name', [custom('database'), arg], node),
    schema:
      legacy('target_schema') ??
      callNaming(scope, node.package, 'generate_schema_name', [custom('schema'), arg], node),
    identifier: callNaming(scope, node.package, 'generate_alias_name', [custom('alias'), arg], node),
  };
}
