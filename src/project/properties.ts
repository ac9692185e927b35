/**
 * Reads one YAML property file (`schema.yml`, `_models.yml`, ...) into typed entries.
 *
 * Shape errors are reported here, with the file and line of the offending value, because this is
 * the only place that still knows where each value was written. Matching entries to the nodes they
 * describe happens in `apply-properties.ts`; sources are read by `sources.ts`.
 */
import type { ColumnProperties, MacroProperties, NodeProperties } from './types';
import { parseTestList } from './tests-in-yaml';
import { isMapping, type LocatedYaml } from './yaml-file';

/** Property kinds that describe SQL or seed nodes, keyed as in YAML. */
export type NodePropertyKind = 'models' | 'seeds' | 'snapshots' | 'analyses' | 'data_tests';

export interface PropertyFile {
  yaml: LocatedYaml;
  package: string;
  /** Folders of the YAML file below its resource path (for source fqns). */
  folders: string[];
  nodes: Record<NodePropertyKind, NodeProperties[]>;
  macros: MacroProperties[];
  /** The raw `sources:` list, read by `sources.ts`. */
  sources: unknown[];
}

const NODE_KINDS: NodePropertyKind[] = ['models', 'seeds', 'snapshots', 'analyses', 'data_tests'];

/** Top-level keys dbt knows that MartQL does not use yet. */
const UNSUPPORTED = new Set([
  'exposures',
  'metrics',
  'semantic_models',
  'saved_queries',
  'groups',
  'unit_tests',
]);

const NODE_KEYS = new Set([
  'name',
  'description',
  'config',
  'columns',
  'data_tests',
  'tests',
  'meta',
  'docs',
  'tags',
]);
const COLUMN_KEYS = new Set([
  'name',
  'description',
  'data_type',
  'quote',
  'constraints',
  'data_tests',
  'tests',
  'meta',
  'tags',
  'config',
]);

export function parsePropertyFile(
  yaml: LocatedYaml,
  packageName: string,
  folders: string[],
  notes: string[],
): PropertyFile {
  const out: PropertyFile = {
    yaml,
    package: packageName,
    folders,
    nodes: { models: [], seeds: [], snapshots: [], analyses: [], data_tests: [] },
    macros: [],
    sources: [],
  };
  const raw = yaml.value;
  if (raw === null) return out;
  if (!isMapping(raw))
    throw yaml.schemaError('a property file must be a mapping (`models:`, `sources:`, ...)', yaml.at(raw));
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'version' || value === null) continue;
    if (UNSUPPORTED.has(key)) {
      notes.push(`${yaml.file}: \`${key}\` is not supported yet and was ignored`);
      continue;
    }
    if (!(NODE_KINDS as string[]).includes(key) && key !== 'macros' && key !== 'sources') {
      notes.push(`${yaml.file}: unknown key \`${key}\` ignored`);
      continue;
    }
    if (!Array.isArray(value))
      throw yaml.schemaError(`\`${key}\` must be a list of entries`, yaml.atKey(raw, key));
    if (key === 'sources') out.sources = value;
    else if (key === 'macros')
      out.macros = value.map((e, i) => parseMacro(e, yaml, yaml.atItem(value, i), packageName));
    else {
      out.nodes[key as NodePropertyKind] = value.map((e, i) =>
        parseNodeProperties(e, yaml, yaml.atItem(value, i)),
      );
    }
  }
  return out;
}

/** One `- name: ...` entry of `models:` / `seeds:` / `snapshots:` / `analyses:` / `data_tests:`. */
export function parseNodeProperties(
  entry: unknown,
  yaml: LocatedYaml,
  location: NodeProperties['location'],
): NodeProperties {
  const e = requireNamed(entry, yaml, location);
  const config = optionalMapping(e, 'config', yaml) ?? {};
  const topTags = stringList(e, 'tags', yaml);
  const props: NodeProperties = {
    name: e.name as string,
    description: optionalString(e, 'description', yaml),
    config: topTags.length > 0 ? { ...config, tags: [...topTags, ...stringListValue(config.tags)] } : config,
    columns: parseColumns(e, yaml),
    tests: parseTestList(e, yaml),
    meta: optionalMapping(e, 'meta', yaml) ?? {},
    location,
    extra: extraKeys(e, NODE_KEYS),
  };
  const docs = optionalMapping(e, 'docs', yaml);
  if (docs) props.docs = docs;
  return props;
}

/** `columns:` of a model, seed, snapshot or source table. */
export function parseColumns(owner: Record<string, unknown>, yaml: LocatedYaml): ColumnProperties[] {
  const list = owner.columns;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw yaml.schemaError('`columns` must be a list (`- name: id`)', yaml.atKey(owner, 'columns'));
  }
  return list.map((entry, i) => {
    const c = requireNamed(entry, yaml, yaml.atItem(list, i));
    const name = c.name as string;
    const config = optionalMapping(c, 'config', yaml) ?? {};
    const constraints = c.constraints ?? [];
    if (!Array.isArray(constraints) || !constraints.every(isMapping)) {
      throw yaml.schemaError(
        '`constraints` must be a list of mappings (`- type: not_null`)',
        yaml.atKey(c, 'constraints'),
      );
    }
    const dataType = c.data_type;
    if (dataType !== undefined && dataType !== null && typeof dataType !== 'string') {
      throw yaml.schemaError('`data_type` must be a type name', yaml.atKey(c, 'data_type'));
    }
    const column: ColumnProperties = {
      name,
      description: optionalString(c, 'description', yaml),
      constraints,
      tests: parseTestList(c, yaml, name),
      meta: { ...(optionalMapping(c, 'meta', yaml) ?? {}), ...(isMapping(config.meta) ? config.meta : {}) },
      tags: [...new Set([...stringList(c, 'tags', yaml), ...stringListValue(config.tags)])],
      extra: extraKeys(c, COLUMN_KEYS),
    };
    if (typeof dataType === 'string') column.dataType = dataType;
    if (typeof c.quote === 'boolean') column.quote = c.quote;
    return column;
  });
}

function parseMacro(
  entry: unknown,
  yaml: LocatedYaml,
  location: MacroProperties['location'],
  packageName: string,
): MacroProperties {
  const e = requireNamed(entry, yaml, location);
  const args = e.arguments ?? [];
  if (!Array.isArray(args)) throw yaml.schemaError('`arguments` must be a list', yaml.atKey(e, 'arguments'));
  const macro: MacroProperties = {
    package: packageName,
    name: e.name as string,
    description: optionalString(e, 'description', yaml),
    arguments: args.map((a, i) => {
      const arg = requireNamed(a, yaml, yaml.atItem(args, i));
      const out: MacroProperties['arguments'][number] = {
        name: arg.name as string,
        description: optionalString(arg, 'description', yaml),
      };
      if (typeof arg.type === 'string') out.type = arg.type;
      return out;
    }),
    meta: optionalMapping(e, 'meta', yaml) ?? {},
    location,
    extra: extraKeys(e, new Set(['name', 'description', 'arguments', 'meta', 'docs'])),
  };
  const docs = optionalMapping(e, 'docs', yaml);
  if (docs) macro.docs = docs;
  return macro;
}

export function requireNamed(
  entry: unknown,
  yaml: LocatedYaml,
  location: NodeProperties['location'],
): Record<string, unknown> {
  if (!isMapping(entry)) throw yaml.schemaError('an entry must be a mapping with a `name`', location);
  if (typeof entry.name !== 'string' || entry.name === '') {
    throw yaml.schemaError(
      'an entry must have a `name`',
      entry.name === undefined ? location : yaml.atKey(entry, 'name'),
    );
  }
  return entry;
}

export function optionalString(owner: Record<string, unknown>, key: string, yaml: LocatedYaml): string {
  const value = owner[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw yaml.schemaError(`\`${key}\` must be text`, yaml.atKey(owner, key));
  return value;
}

export function optionalMapping(
  owner: Record<string, unknown>,
  key: string,
  yaml: LocatedYaml,
): Record<string, unknown> | undefined {
  const value = owner[key];
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) throw yaml.schemaError(`\`${key}\` must be a mapping`, yaml.atKey(owner, key));
  return value;
}

export function stringList(owner: Record<string, unknown>, key: string, yaml: LocatedYaml): string[] {
  const value = owner[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw yaml.schemaError(`\`${key}\` must be a list of strings`, yaml.atKey(owner, key));
  }
  return value;
}

function stringListValue(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : [];
}

export function extraKeys(owner: Record<string, unknown>, known: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(owner)) if (!known.has(k)) out[k] = v;
  return out;
}
