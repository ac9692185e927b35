/**
 * From parsed nodes to a checked dependency graph.
 *
 * The parse phase records which `ref`/`source` calls each node made; this is where those calls
 * become edges, where disabled nodes drop out, and where the graph is proven acyclic. Every later
 * stage (selection, levels, the runner) can then trust `parents`/`children` without re-checking.
 */
import { MartqlError, closestName, type SourceLocation } from '../errors';
import type { SourceTable } from '../project/types';
import { findCycleIn } from './find-cycle';
import { graphIndex } from './graph-index';
import {
  buildRefIndex,
  buildSourceIndex,
  findCallPosition,
  resolveRef,
  resolveSource,
  type RefIndex,
  type SourceIndex,
} from './resolve-ref';
import type { MacroInfo, Manifest, ManifestNode, ParsedNode, RefCall, SourceCall } from './types';

export interface BuildManifestInput {
  nodes: ParsedNode[];
  sources: SourceTable[];
  macros: MacroInfo[];
  /** Name of the root project: second place searched by an unqualified `ref()`. */
  rootPackage: string;
}

/**
 * Resolves refs and sources into edges and checks the graph.
 *
 * Throws `DUPLICATE_NODE` for two enabled nodes with one id (or one refable name in one package),
 * `UNKNOWN_REF` / `UNKNOWN_SOURCE` for calls to something missing or disabled, and `CYCLE`. A test
 * whose ref, source or attached node is disabled is itself disabled silently, as dbt does.
 */
export function buildManifest(input: BuildManifestInput): Manifest {
  const { rootPackage } = input;
  const disabled = new Map<string, ParsedNode>();
  const enabled: ParsedNode[] = [];
  for (const node of input.nodes) {
    if (node.config.enabled === false) disabled.set(node.uniqueId, node);
    else enabled.push(node);
  }
  const refIndex = buildRefIndex(enabled, [...disabled.values()], rootPackage);
  checkDuplicateNames(refIndex);
  const sourceIndex = buildSourceIndex(input.sources);

  // parents doubles as the id registry: sources first, then each node as it is resolved.
  const sources = new Map<string, SourceTable>();
  const parents = new Map<string, string[]>();
  for (const source of input.sources) {
    if (source.config.enabled === false) continue;
    sources.set(source.uniqueId, source);
    parents.set(source.uniqueId, []);
  }
  const nodes = new Map<string, ManifestNode>();
  for (const node of enabled) {
    const dependsOn = resolveDependencies(node, refIndex, sourceIndex, rootPackage);
    if (dependsOn === 'disable' || (node.attachedNode !== undefined && disabled.has(node.attachedNode))) {
      disabled.set(node.uniqueId, node);
      continue;
    }
    const other = nodes.get(node.uniqueId);
    if (other) throw duplicateError(node, other, `two nodes have the unique id '${node.uniqueId}'`);
    nodes.set(node.uniqueId, withDependencies(node, dependsOn));
    parents.set(node.uniqueId, dependsOn);
  }

  const children = new Map<string, string[]>();
  for (const id of parents.keys()) children.set(id, []);
  for (const [id, ups] of parents) for (const up of ups) children.get(up)!.push(id);

  const macros = new Map(input.macros.map((m) => [m.uniqueId, m]));
  const manifest: Manifest = { nodes, sources, macros, parents, children, disabled, rootPackage };
  // Indexing orders the graph (and is cached for selection and levels); no order means a cycle.
  const cycle = findCycleIn(graphIndex(manifest));
  if (cycle) throw cycleError(cycle, nodes, rootPackage);
  return manifest;
}

/**
 * Every field of ParsedNode, so the compiler fails here when one is added and not copied below.
 * The copy is written out field by field because object spread over a few thousand nodes costs
 * more than the rest of the build.
 */
const PARSED_NODE_FIELDS: Record<keyof ParsedNode, true> = {
  uniqueId: true,
  resourceType: true,
  package: true,
  name: true,
  path: true,
  absPath: true,
  fqn: true,
  rawCode: true,
  checksum: true,
  config: true,
  description: true,
  columns: true,
  refs: true,
  sources: true,
  macros: true,
  attachedNode: true,
  columnName: true,
  testMetadata: true,
  location: true,
  relation: true,
  language: true,
};
void PARSED_NODE_FIELDS;

function withDependencies(n: ParsedNode, dependsOn: string[]): ManifestNode {
  return {
    uniqueId: n.uniqueId,
    resourceType: n.resourceType,
    package: n.package,
    name: n.name,
    path: n.path,
    absPath: n.absPath,
    fqn: n.fqn,
    rawCode: n.rawCode,
    checksum: n.checksum,
    config: n.config,
    description: n.description,
    columns: n.columns,
    refs: n.refs,
    sources: n.sources,
    macros: n.macros,
    attachedNode: n.attachedNode,
    columnName: n.columnName,
    testMetadata: n.testMetadata,
    location: n.location,
    relation: n.relation,
    language: n.language,
    dependsOn,
  };
}

/** Two refable nodes of one package with one name (and version) would make ref() ambiguous. */
function checkDuplicateNames(refIndex: RefIndex): void {
  for (const list of refIndex.enabled.values()) {
    if (list.length < 2) continue;
    const seen = new Map<string, ParsedNode>();
    for (const node of list) {
      const key = `${node.package}\u0000${String(node.config.version ?? '')}`;
      const same = seen.get(key);
      if (same && same.uniqueId === node.uniqueId) {
        throw duplicateError(node, same, `two nodes have the unique id '${node.uniqueId}'`);
      }
      if (same) {
        throw duplicateError(
          node,
          same,
          `two resources in package '${node.package}' are named '${node.name}' (${same.uniqueId}, ${node.uniqueId})`,
        );
      }
      seen.set(key, node);
    }
  }
}

function duplicateError(node: ParsedNode, other: ParsedNode, what: string): MartqlError {
  return new MartqlError('DUPLICATE_NODE', `${what}: ${other.path} and ${node.path}`, {
    location: { file: node.path },
    hint: 'rename one of them, or disable one with `enabled: false`',
    data: { ids: [other.uniqueId, node.uniqueId] },
  });
}

/** Upstream ids in first-seen order, or 'disable' for a test whose upstream is disabled. */
function resolveDependencies(
  node: ParsedNode,
  refIndex: RefIndex,
  sourceIndex: SourceIndex,
  rootPackage: string,
): string[] | 'disable' {
  // Nodes have a handful of dependencies: an array with includes() beats a Set here.
  const deps: string[] = [];
  for (const call of node.refs) {
    const found = resolveRef(refIndex, call, node.package);
    switch (found.kind) {
      case 'found':
        if (!deps.includes(found.target.uniqueId)) deps.push(found.target.uniqueId);
        break;
      case 'disabled':
        if (node.resourceType === 'test') return 'disable';
        throw refError(node, call, refIndex, `depends on '${refLabel(call)}', which is disabled`, {
          hint: `enable ${found.target.uniqueId} or remove the ref`,
        });
      case 'ambiguous':
        throw refError(
          node,
          call,
          refIndex,
          `refers to '${refLabel(call)}', which exists in several packages`,
          {
            hint: `name the package: ref('${found.packages[0]}', '${call.name}') (found in ${found.packages.join(', ')})`,
          },
        );
      case 'missing':
        throw refError(node, call, refIndex, `depends on '${refLabel(call)}', which was not found`);
    }
  }
  for (const call of node.sources) {
    const found = resolveSource(sourceIndex, call, node.package, rootPackage);
    switch (found.kind) {
      case 'found':
        if (!deps.includes(found.target.uniqueId)) deps.push(found.target.uniqueId);
        break;
      case 'disabled':
        if (node.resourceType === 'test') return 'disable';
        throw sourceError(node, call, sourceIndex, 'which is disabled');
      case 'ambiguous':
      case 'missing':
        throw sourceError(node, call, sourceIndex, 'which was not found');
    }
  }
  return deps;
}

function refLabel(call: RefCall): string {
  const name = call.package !== undefined ? `${call.package}.${call.name}` : call.name;
  return call.version !== undefined ? `${name} (version ${call.version})` : name;
}

function describe(node: ParsedNode): string {
  return `${node.resourceType[0].toUpperCase()}${node.resourceType.slice(1)} '${node.name}' (${node.uniqueId})`;
}

function callLocation(node: ParsedNode, fn: 'ref' | 'source', names: string[]): SourceLocation {
  const at = findCallPosition(node.rawCode, fn, names);
  if (at) return { file: node.path, line: at.line, column: at.column };
  // Generic tests have no ref() in their own text; point at their YAML declaration instead.
  return node.location?.line !== undefined ? node.location : { file: node.path };
}

function refError(
  node: ParsedNode,
  call: RefCall,
  refIndex: RefIndex,
  what: string,
  extra: { hint?: string } = {},
): MartqlError {
  const names = call.package !== undefined ? [call.package, call.name] : [call.name];
  const closest = closestName(call.name, refIndex.enabled.keys());
  const hint = extra.hint ?? (closest !== undefined ? `did you mean '${closest}'?` : undefined);
  return new MartqlError('UNKNOWN_REF', `${describe(node)} ${what}`, {
    location: callLocation(node, 'ref', names),
    hint,
    data: { node: node.uniqueId, ref: call, closest },
  });
}

function sourceError(node: ParsedNode, call: SourceCall, index: SourceIndex, what: string): MartqlError {
  const label = `${call.sourceName}.${call.tableName}`;
  const enabledNames = [...index.values()].flat().filter((s) => s.config.enabled !== false);
  const closest = closestName(
    label,
    enabledNames.map((s) => `${s.sourceName}.${s.name}`),
  );
  return new MartqlError('UNKNOWN_SOURCE', `${describe(node)} depends on source '${label}', ${what}`, {
    location: callLocation(node, 'source', [call.sourceName, call.tableName]),
    hint: closest !== undefined ? `did you mean '${closest}'?` : undefined,
    data: { node: node.uniqueId, source: call, closest },
  });
}

function cycleError(cycle: string[], nodes: Map<string, ManifestNode>, rootPackage: string): MartqlError {
  const label = (id: string): string => {
    const node = nodes.get(id);
    if (!node) return id;
    return node.package === rootPackage ? node.name : `${node.package}.${node.name}`;
  };
  const path = [...cycle, cycle[0]].map(label).join(' -> ');
  const first = nodes.get(cycle[0]);
  return new MartqlError('CYCLE', `Found a cycle: ${path}`, {
    location: first ? { file: first.path } : undefined,
    hint: 'each node feeds the next through ref(); remove one of these refs to break the cycle',
    data: { cycle },
  });
}
