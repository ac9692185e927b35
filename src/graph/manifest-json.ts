/**
 * `target/manifest.json` in dbt's v12 shape, so tools built for dbt artifacts (docs sites, lineage
 * viewers, CI "state" comparisons) can read a MartQL project.
 *
 * Only the fields MartQL knows are filled; every top-level key dbt defines is present (empty when
 * MartQL has no such resource). The file is written to a temporary name in the target directory
 * and renamed into place, so a reader sees the previous manifest or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnProperties, HookConfig, SourceTable } from '../project/types';
import type { MacroInfo, Manifest, ManifestNode, ParsedNode } from './types';

export const MANIFEST_SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/manifest/v12.json';

export interface ManifestJsonOptions {
  projectName: string;
  targetDir: string;
  invocationId: string;
  /** ISO timestamp. */
  generatedAt: string;
  /** unique id -> path of the compiled SQL (relative to the target dir), when compiled. */
  compiledPaths?: Map<string, string>;
}

/** Writes `<targetDir>/manifest.json` atomically and returns its path. */
export async function writeManifestJson(manifest: Manifest, options: ManifestJsonOptions): Promise<string> {
  // Compact, as dbt writes it: indenting a manifest of thousands of nodes doubles its size and write time.
  const json = JSON.stringify(manifestToJson(manifest, options));
  await mkdir(options.targetDir, { recursive: true });
  const finalPath = join(options.targetDir, 'manifest.json');
  const tempPath = join(
    options.targetDir,
    `.manifest.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(tempPath, json);
    await rename(tempPath, finalPath);
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
  return finalPath;
}

/** The manifest as the plain object written to `manifest.json`. */
export function manifestToJson(manifest: Manifest, options: ManifestJsonOptions): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const id of [...manifest.nodes.keys()].sort()) nodes[id] = nodeJson(manifest.nodes.get(id)!, options);
  const sources: Record<string, unknown> = {};
  for (const id of [...manifest.sources.keys()].sort()) sources[id] = sourceJson(manifest.sources.get(id)!);
  const macros: Record<string, unknown> = {};
  for (const id of [...manifest.macros.keys()].sort()) macros[id] = macroJson(manifest.macros.get(id)!);
  const disabled: Record<string, unknown[]> = {};
  for (const [id, node] of [...(manifest.disabled ?? new Map<string, ParsedNode>())].sort(byKey)) {
    disabled[id] = [nodeJson({ ...node, dependsOn: [] }, options)];
  }
  return {
    metadata: {
      dbt_schema_version: MANIFEST_SCHEMA_VERSION,
      // The dbt release whose manifest layout this follows; MartQL is not dbt.
      dbt_version: '1.9.0',
      generated_at: options.generatedAt,
      invocation_id: options.invocationId,
      env: {},
      project_name: options.projectName,
      adapter_type: 'postgres',
    },
    nodes,
    sources,
    macros,
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled,
    parent_map: edgeMap(manifest.parents),
    child_map: edgeMap(manifest.children),
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function edgeMap(edges: Map<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of [...edges.keys()].sort()) out[id] = [...(edges.get(id) ?? [])].sort();
  return out;
}

/** dbt's hook object; `index` is null unless the hook declared one, as in dbt's manifest. */
function hookJson(hook: HookConfig): { sql: string; transaction: boolean; index: number | null } {
  return typeof hook === 'string'
    ? { sql: hook, transaction: true, index: null }
    : { sql: hook.sql, transaction: hook.transaction, index: hook.index ?? null };
}

function nodeJson(node: ManifestNode, options: ManifestJsonOptions): Record<string, unknown> {
  // The relation decided at parse time; without one, the config's database/schema/alias.
  const relation = node.relation;
  const { pre_hook, post_hook, ...config } = node.config;
  const json: Record<string, unknown> = {
    unique_id: node.uniqueId,
    resource_type: node.resourceType,
    package_name: node.package,
    name: node.name,
    // dbt's `path` is relative to the resource folder (`models/`), `original_file_path` to the package.
    path: node.path.includes('/') ? node.path.slice(node.path.indexOf('/') + 1) : node.path,
    original_file_path: node.path,
    fqn: node.fqn,
    alias: relation?.identifier ?? node.config.alias ?? node.name,
    schema: relation?.schema ?? node.config.schema ?? null,
    database: relation?.database ?? node.config.database ?? null,
    relation_name: relation ? quoteRelation([relation.database, relation.schema, relation.identifier]) : null,
    config: {
      ...config,
      'pre-hook': (pre_hook ?? []).map(hookJson),
      'post-hook': (post_hook ?? []).map(hookJson),
    },
    tags: node.config.tags ?? [],
    description: node.description,
    columns: columnsJson(node.columns),
    meta: node.config.meta ?? {},
    depends_on: { nodes: node.dependsOn, macros: node.macros },
    refs: node.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: node.sources.map((s) => [s.sourceName, s.tableName]),
    metrics: [],
    raw_code: node.rawCode,
    language: node.path.endsWith('.py') ? 'python' : 'sql',
    compiled_path: options.compiledPaths?.get(node.uniqueId) ?? null,
    checksum: { name: 'sha256', checksum: node.checksum },
  };
  if (node.resourceType === 'test') {
    json.attached_node = node.attachedNode ?? null;
    json.column_name = node.columnName ?? null;
    if (node.testMetadata) {
      json.test_metadata = {
        name: node.testMetadata.name,
        kwargs: node.testMetadata.kwargs,
        namespace: node.testMetadata.namespace ?? null,
      };
    }
  }
  if (node.config.version !== undefined) json.version = node.config.version;
  return json;
}

function columnsJson(columns: ColumnProperties[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    out[c.name] = {
      name: c.name,
      description: c.description,
      data_type: c.dataType ?? null,
      constraints: c.constraints,
      meta: c.meta,
      tags: c.tags,
      quote: c.quote ?? null,
    };
  }
  return out;
}

function sourceJson(s: SourceTable): Record<string, unknown> {
  return {
    unique_id: s.uniqueId,
    resource_type: 'source',
    package_name: s.package,
    source_name: s.sourceName,
    name: s.name,
    identifier: s.identifier,
    schema: s.schema,
    database: s.database ?? null,
    path: s.location.file,
    original_file_path: s.location.file,
    fqn: [s.package, s.sourceName, s.name],
    description: s.description,
    loaded_at_field: s.loadedAtField ?? null,
    freshness: s.freshness ?? null,
    columns: columnsJson(s.columns),
    meta: s.meta,
    tags: s.tags,
    config: { enabled: true, ...s.config },
    relation_name: quoteRelation([s.database, s.schema, s.identifier]),
  };
}

/** `"db"."schema"."name"`, as dbt writes `relation_name`; empty parts are left out. */
function quoteRelation(parts: (string | undefined)[]): string {
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

function macroJson(m: MacroInfo): Record<string, unknown> {
  return {
    unique_id: m.uniqueId,
    resource_type: 'macro',
    package_name: m.package,
    name: m.name,
    path: m.path,
    original_file_path: m.path,
    description: '',
    arguments: m.args.map((name) => ({ name, type: null, description: '' })),
    depends_on: { macros: [] },
    meta: {},
    // Not dbt's field: where the macro starts, for MartQL's own tools.
    line: m.line,
    macro_kind: m.kind,
  };
}
