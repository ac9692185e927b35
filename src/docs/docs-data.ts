/**
 * The one JSON document the docs site reads (`docs.json`): every model, seed, snapshot, source and
 * analysis with its description, its columns (declared properties joined to the warehouse's types
 * from the catalog), its tests, its code before and after compilation, its neighbours, and the
 * lineage graph already laid out. Built from values, never from a database, so it is tested alone
 * and the same document comes out of `martql docs generate` and out of a server generating on demand.
 */
import type { Manifest, ManifestNode } from '../graph';
import type { ColumnProperties, SourceTable } from '../project/types';
import type { CatalogJson, CatalogTable } from './catalog';
import { resolveDocReferences, type DocBlocks } from './doc-blocks';
import { layoutLineage, type LineageLayout } from './lineage-layout';

export const DOCS_FORMAT_VERSION = 1;

export interface DocsColumn {
  name: string;
  /** The type in the warehouse; null when the relation or the column is not there. */
  type: string | null;
  /** The `data_type` the YAML declares, when it does. */
  declaredType: string | null;
  description: string;
  /** Position in the relation (1-based); null for a column only declared. */
  index: number | null;
  /** Unique ids of the tests on this column. */
  tests: string[];
}

export type DocsResourceType = 'model' | 'seed' | 'snapshot' | 'source' | 'analysis';

export interface DocsNode {
  id: string;
  resourceType: DocsResourceType;
  name: string;
  /** How the node is named in lists and in the graph: `source.table` for sources. */
  label: string;
  package: string;
  /** The file it comes from, relative to its package. */
  path: string;
  description: string;
  /** `"schema"."name"`; null for an ephemeral model. */
  relation: string | null;
  /** What the warehouse holds there (`BASE TABLE`, `VIEW`, ...); null when nothing does. */
  relationType: string | null;
  owner: string | null;
  materialized: string | null;
  tags: string[];
  language: 'sql' | 'typescript' | 'csv' | 'yaml';
  /** Its GraphQL query field, when the model is exposed. */
  graphqlField: string | null;
  columns: DocsColumn[];
  rawCode: string | null;
  compiledSql: string | null;
  upstream: string[];
  downstream: string[];
  tests: string[];
  source?: { sourceName: string; loader: string | null; loadedAtField: string | null; freshness: unknown };
}

export interface DocsTest {
  id: string;
  name: string;
  /** The generic test (`unique`, `relationships`, ...) or `singular`. */
  kind: string;
  attachedTo: string[];
  column: string | null;
  severity: string;
  /** The generic test's arguments, without the `model` and `column_name` every one gets. */
  args: Record<string, unknown>;
  compiledSql: string | null;
}

export interface DocsData {
  formatVersion: number;
  project: string;
  generatedAt: string;
  invocationId: string;
  nodes: DocsNode[];
  tests: DocsTest[];
  lineage: LineageLayout;
}

export interface DocsInput {
  manifest: Manifest;
  catalog: CatalogJson;
  /** unique id -> compiled SQL, for the nodes that were compiled. */
  compiled: Map<string, string>;
  /** unique id -> GraphQL query field of the exposed models. */
  graphqlFields: Map<string, string>;
  /** `{% docs %}` blocks that descriptions may reference with `{{ doc('name') }}`. */
  docBlocks?: DocBlocks;
  project: string;
  generatedAt: string;
  invocationId: string;
}

const DOCUMENTED = new Set<string>(['model', 'seed', 'snapshot', 'analysis']);

function quoted(schema: string, name: string): string {
  return [schema, name].map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
}

/** Declared columns joined to the warehouse's: the relation's order first, then those only declared. */
export function mergeColumns(
  declared: ColumnProperties[],
  table: CatalogTable | undefined,
  testsOf: (column: string) => string[],
  describe: (text: string) => string = (text) => text,
): DocsColumn[] {
  const byName = new Map(declared.map((c) => [c.name, c]));
  const byLower = new Map(declared.map((c) => [c.name.toLowerCase(), c]));
  const used = new Set<ColumnProperties>();
  const out: DocsColumn[] = [];
  const actual = Object.values(table?.columns ?? {}).sort((a, b) => a.index - b.index);
  for (const col of actual) {
    const props = byName.get(col.name) ?? byLower.get(col.name.toLowerCase());
    if (props) used.add(props);
    out.push({
      name: col.name,
      type: col.type,
      declaredType: props?.dataType ?? null,
      description: describe(props?.description || col.comment || ''),
      index: col.index,
      tests: testsOf(props?.name ?? col.name),
    });
  }
  for (const props of declared) {
    if (used.has(props)) continue;
    out.push({
      name: props.name,
      type: null,
      declaredType: props.dataType ?? null,
      description: describe(props.description),
      index: null,
      tests: testsOf(props.name),
    });
  }
  return out;
}

function languageOf(node: ManifestNode): DocsNode['language'] {
  if (node.resourceType === 'seed') return 'csv';
  return node.language === 'typescript' ? 'typescript' : 'sql';
}

export function buildDocsData(input: DocsInput): DocsData {
  const { manifest, catalog } = input;
  const tests = [...manifest.nodes.values()].filter((n) => n.resourceType === 'test');
  const documented = [...manifest.nodes.values()].filter((n) => DOCUMENTED.has(n.resourceType));
  const inGraph = new Set<string>([...documented.map((n) => n.uniqueId), ...manifest.sources.keys()]);

  const testsOn = new Map<string, ManifestNode[]>();
  const docsTests: DocsTest[] = tests.map((t) => {
    const attachedTo = t.attachedNode ? [t.attachedNode] : t.dependsOn.filter((id) => inGraph.has(id));
    for (const id of attachedTo) testsOn.set(id, [...(testsOn.get(id) ?? []), t]);
    const { model: _model, column_name: _column, ...args } = t.testMetadata?.kwargs ?? {};
    return {
      id: t.uniqueId,
      name: t.name,
      kind: t.testMetadata?.name ?? 'singular',
      attachedTo,
      column: t.columnName ?? null,
      severity: String(t.config.severity ?? 'error').toLowerCase(),
      args,
      compiledSql: input.compiled.get(t.uniqueId) ?? null,
    };
  });
  const testIds = (id: string, column?: string) =>
    (testsOn.get(id) ?? [])
      .filter((t) => column === undefined || t.columnName?.toLowerCase() === column.toLowerCase())
      .map((t) => t.uniqueId)
      .sort();
  const neighbours = (edges: Map<string, string[]>, id: string) =>
    (edges.get(id) ?? []).filter((other) => inGraph.has(other)).sort();
  const describer = (pkg: string) => (text: string) =>
    input.docBlocks ? resolveDocReferences(text, input.docBlocks, pkg) : text;

  const nodes: DocsNode[] = documented.map((node) => {
    const table = catalog.nodes[node.uniqueId];
    const ephemeral = node.config.materialized === 'ephemeral';
    return {
      id: node.uniqueId,
      resourceType: node.resourceType as DocsResourceType,
      name: node.name,
      label: node.name,
      package: node.package,
      path: node.path,
      description: describer(node.package)(node.description),
      relation: node.relation && !ephemeral ? quoted(node.relation.schema, node.relation.identifier) : null,
      relationType: table?.metadata.type ?? null,
      owner: table?.metadata.owner ?? null,
      materialized: node.resourceType === 'model' ? String(node.config.materialized) : null,
      tags: node.config.tags ?? [],
      language: languageOf(node),
      graphqlField: input.graphqlFields.get(node.uniqueId) ?? null,
      columns: mergeColumns(
        node.columns,
        table,
        (column) => testIds(node.uniqueId, column),
        describer(node.package),
      ),
      // A seed's "code" is its data, which can be large and is in the warehouse anyway.
      rawCode: node.resourceType === 'seed' ? null : node.rawCode,
      compiledSql: input.compiled.get(node.uniqueId) ?? null,
      upstream: neighbours(manifest.parents, node.uniqueId),
      downstream: neighbours(manifest.children, node.uniqueId),
      tests: testIds(node.uniqueId),
    };
  });
  for (const source of manifest.sources.values()) {
    nodes.push(sourceNode(source, input, neighbours, testIds, describer(source.package)));
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const edges: [string, string][] = nodes.flatMap((n) =>
    n.upstream.map((up) => [up, n.id] as [string, string]),
  );
  return {
    formatVersion: DOCS_FORMAT_VERSION,
    project: input.project,
    generatedAt: input.generatedAt,
    invocationId: input.invocationId,
    nodes,
    tests: docsTests.sort((a, b) => (a.id < b.id ? -1 : 1)),
    lineage: layoutLineage(
      nodes.map((n) => ({ id: n.id, kind: n.resourceType, label: n.label })),
      edges,
    ),
  };
}

function sourceNode(
  source: SourceTable,
  input: DocsInput,
  neighbours: (edges: Map<string, string[]>, id: string) => string[],
  testIds: (id: string, column?: string) => string[],
  describe: (text: string) => string,
): DocsNode {
  const table = input.catalog.sources[source.uniqueId];
  return {
    id: source.uniqueId,
    resourceType: 'source',
    name: source.name,
    label: `${source.sourceName}.${source.name}`,
    package: source.package,
    path: source.location.file,
    description: describe(source.description || source.sourceDescription || ''),
    relation: quoted(source.schema, source.identifier),
    relationType: table?.metadata.type ?? null,
    owner: table?.metadata.owner ?? null,
    materialized: null,
    tags: source.tags,
    language: 'yaml',
    graphqlField: null,
    columns: mergeColumns(source.columns, table, (column) => testIds(source.uniqueId, column), describe),
    rawCode: null,
    compiledSql: null,
    upstream: [],
    downstream: neighbours(input.manifest.children, source.uniqueId),
    tests: testIds(source.uniqueId),
    source: {
      sourceName: source.sourceName,
      loader: source.loader ?? null,
      loadedAtField: source.loadedAtField ?? null,
      freshness: source.freshness ?? null,
    },
  };
}
