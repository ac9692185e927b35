/**
 * Reads `sources:` entries into one `SourceTable` per table.
 *
 * A source is a schema of raw tables; most of what a table needs (database, schema, loader,
 * freshness, `loaded_at_field`) is written once on the source and inherited by its tables. Freshness
 * is the subtle one, as in dbt: a table without `freshness` inherits the source's, `freshness: null`
 * switches it off, and a table's own block is merged over the source's threshold by threshold.
 * Since dbt 1.9/1.10 `freshness` and `loaded_at_field` may also sit under `config:`; both spellings
 * are read, `config:` winning.
 */
import { mergeConfigs } from './merge-configs';
import {
  optionalMapping,
  optionalString,
  parseColumns,
  requireNamed,
  stringList,
  type PropertyFile,
} from './properties';
import { parseTestList } from './tests-in-yaml';
import type { SourceTable } from './types';
import { isMapping, type LocatedYaml } from './yaml-file';

/** The project-tree config of a source table by its fqn (from the `sources:` trees). */
export type SourceTreeConfig = (packageName: string, fqn: string[]) => Record<string, unknown>;

type Freshness = Record<string, unknown> | null | undefined;

export function parseSources(
  file: PropertyFile,
  treeConfig: SourceTreeConfig,
  notes: string[],
): SourceTable[] {
  const { yaml, sources } = file;
  const out: SourceTable[] = [];
  sources.forEach((entry, i) => {
    const source = requireNamed(entry, yaml, yaml.atItem(sources, i));
    const sourceName = source.name as string;
    if (source.overrides !== undefined) {
      notes.push(
        `${yaml.file}: source ${sourceName} uses \`overrides\`, which is not supported; it is read as a new source`,
      );
    }
    const sourceConfig = optionalMapping(source, 'config', yaml) ?? {};
    const tables = source.tables ?? [];
    if (!Array.isArray(tables))
      throw yaml.schemaError('`tables` must be a list (`- name: orders`)', yaml.atKey(source, 'tables'));
    const sourceMeta = optionalMapping(source, 'meta', yaml) ?? {};
    const sourceTags = stringList(source, 'tags', yaml);
    const sourceQuoting = optionalMapping(source, 'quoting', yaml) ?? {};
    const schema = source.schema === undefined || source.schema === null ? sourceName : String(source.schema);

    tables.forEach((tableEntry, j) => {
      const location = yaml.atItem(tables, j);
      const table = requireNamed(tableEntry, yaml, location);
      const name = table.name as string;
      const tableConfig = optionalMapping(table, 'config', yaml) ?? {};
      const fqn = [file.package, ...file.folders, sourceName, name];
      const tableMeta = optionalMapping(table, 'meta', yaml) ?? {};
      const tags = [...new Set([...sourceTags, ...stringList(table, 'tags', yaml)])];

      const tree = treeConfig(file.package, fqn);
      let config = mergeConfigs({ enabled: true, tags: [], meta: {} } as Record<string, unknown>, tree);
      config = mergeConfigs(config, { meta: sourceMeta, tags });
      config = mergeConfigs(config, sourceConfig);
      config = mergeConfigs(config, { meta: tableMeta });
      config = mergeConfigs(config, tableConfig);

      const freshness = [
        tree.freshness as Freshness,
        layered(source, sourceConfig, 'freshness', yaml),
        layered(table, tableConfig, 'freshness', yaml),
      ].reduce<Freshness>((acc, next) => mergeFreshness(acc, next), undefined);
      const loadedAtField = [
        tree.loaded_at_field,
        layeredValue(source, sourceConfig, 'loaded_at_field'),
        layeredValue(table, tableConfig, 'loaded_at_field'),
      ].reduce<unknown>((acc, next) => (next === undefined ? acc : next), undefined);
      const loadedAtQuery = [
        tree.loaded_at_query,
        layeredValue(source, sourceConfig, 'loaded_at_query'),
        layeredValue(table, tableConfig, 'loaded_at_query'),
      ].reduce<unknown>((acc, next) => (next === undefined ? acc : next), undefined);
      delete config.freshness;
      delete config.loaded_at_field;
      delete config.loaded_at_query;

      const result: SourceTable = {
        uniqueId: `source.${file.package}.${sourceName}.${name}`,
        package: file.package,
        fqn,
        sourceName,
        name,
        schema,
        identifier:
          table.identifier === undefined || table.identifier === null ? name : String(table.identifier),
        description: optionalString(table, 'description', yaml),
        sourceDescription: optionalString(source, 'description', yaml),
        freshness: freshness ?? null,
        columns: parseColumns(table, yaml),
        tests: parseTestList(table, yaml),
        meta: tableMeta,
        sourceMeta,
        tags: [...new Set([...tags, ...((config.tags as string[] | undefined) ?? [])])],
        quoting: { ...sourceQuoting, ...(optionalMapping(table, 'quoting', yaml) ?? {}) },
        config,
        location,
      };
      if (source.database !== undefined && source.database !== null)
        result.database = String(source.database);
      if (typeof source.loader === 'string') result.loader = source.loader;
      if (typeof loadedAtField === 'string') result.loadedAtField = loadedAtField;
      if (typeof loadedAtQuery === 'string') result.loadedAtQuery = loadedAtQuery;
      out.push(result);
    });
  });
  return out;
}

/** A key read from `config:` when present there, else from the entry itself; undefined when absent. */
function layeredValue(entry: Record<string, unknown>, config: Record<string, unknown>, key: string): unknown {
  if (key in config) return config[key];
  if (key in entry) return entry[key];
  return undefined;
}

function layered(
  entry: Record<string, unknown>,
  config: Record<string, unknown>,
  key: string,
  yaml: LocatedYaml,
): Freshness {
  const value = layeredValue(entry, config, key);
  if (value === undefined || value === null) return value as Freshness;
  if (!isMapping(value)) {
    throw yaml.schemaError(
      '`freshness` must be a mapping (`warn_after: {count: 12, period: hour}`) or null',
      yaml.atKey(key in config ? config : entry, key),
    );
  }
  return value;
}

/** `next` over `base`: absent inherits, null disables, a block merges threshold by threshold. */
export function mergeFreshness(base: Freshness, next: Freshness): Freshness {
  if (next === undefined) return base;
  if (next === null || base === undefined || base === null) return next === null ? null : { ...next };
  const out: Record<string, unknown> = { ...base, ...next };
  for (const threshold of ['warn_after', 'error_after']) {
    const a = base[threshold];
    const b = next[threshold];
    if (isMapping(a) && isMapping(b)) out[threshold] = { ...a, ...b };
  }
  return out;
}
