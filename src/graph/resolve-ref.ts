/**
 * Turning `ref(...)` and `source(...)` calls into unique ids, with dbt's lookup order.
 *
 * dbt resolves `ref('m')` in the calling node's own package first, then in the root project, then
 * in any package that has exactly one match; `ref('pkg', 'm')` looks only in `pkg`. Keeping the
 * lookup here, separate from graph building, lets the error paths (unknown, disabled, ambiguous)
 * be tested and worded in one place.
 *
 * Versions, kept simple: a node is version `v` of model `m` when it is named `m` with
 * `config.version == v`, or when it is named `m_v<v>`. `ref('m')` without a version prefers an
 * unversioned node named `m`; among versions it takes `config.latest_version` when a node declares
 * it, else the highest version.
 */
import type { SourceTable } from '../project/types';
import type { ParsedNode, RefCall, SourceCall } from './types';

/** Resource types a `ref()` may point at. */
const REFABLE = new Set(['model', 'seed', 'snapshot']);

export type Resolution<T> =
  | { kind: 'found'; target: T }
  | { kind: 'disabled'; target: T }
  | { kind: 'ambiguous'; packages: string[] }
  | { kind: 'missing' };

/** Refable nodes by name, enabled and disabled apart, built once per manifest. */
export interface RefIndex {
  rootPackage: string;
  enabled: Map<string, ParsedNode[]>;
  disabled: Map<string, ParsedNode[]>;
}

export function isRefable(node: ParsedNode): boolean {
  return REFABLE.has(node.resourceType);
}

export function buildRefIndex(enabled: ParsedNode[], disabled: ParsedNode[], rootPackage: string): RefIndex {
  return { rootPackage, enabled: indexByName(enabled), disabled: indexByName(disabled) };
}

function indexByName(nodes: ParsedNode[]): Map<string, ParsedNode[]> {
  const byName = new Map<string, ParsedNode[]>();
  for (const node of nodes) {
    if (!isRefable(node)) continue;
    const list = byName.get(node.name);
    if (list) list.push(node);
    else byName.set(node.name, [node]);
  }
  return byName;
}

export function resolveRef(index: RefIndex, call: RefCall, fromPackage: string): Resolution<ParsedNode> {
  const found = lookup(index.enabled, call, fromPackage, index.rootPackage);
  if (found.kind !== 'missing') return found;
  const off = lookup(index.disabled, call, fromPackage, index.rootPackage);
  return off.kind === 'found' ? { kind: 'disabled', target: off.target } : { kind: 'missing' };
}

function lookup(
  byName: Map<string, ParsedNode[]>,
  call: RefCall,
  fromPackage: string,
  rootPackage: string,
): Resolution<ParsedNode> {
  const candidates = candidatesFor(byName, call);
  if (candidates.length === 0) return { kind: 'missing' };
  if (candidates.length === 1 && call.version === undefined && candidates[0].config.version === undefined) {
    // The common case, one node with the name: every lookup rule agrees on it.
    const only = candidates[0];
    return call.package === undefined || call.package === only.package
      ? { kind: 'found', target: only }
      : { kind: 'missing' };
  }
  const scopes = call.package !== undefined ? [call.package] : [fromPackage, rootPackage];
  for (const pkg of scopes) {
    const picked = pickVersion(
      candidates.filter((n) => n.package === pkg),
      call,
    );
    if (picked) return { kind: 'found', target: picked };
  }
  if (call.package !== undefined) return { kind: 'missing' };
  const packages = [...new Set(candidates.map((n) => n.package))].sort();
  if (packages.length > 1) return { kind: 'ambiguous', packages };
  const picked = pickVersion(candidates, call);
  return picked ? { kind: 'found', target: picked } : { kind: 'missing' };
}

function candidatesFor(byName: Map<string, ParsedNode[]>, call: RefCall): ParsedNode[] {
  const named = byName.get(call.name) ?? [];
  if (call.version === undefined) return named;
  return [...named, ...(byName.get(`${call.name}_v${call.version}`) ?? [])];
}

/** One node of one package: the requested version, or the default one when none is asked. */
function pickVersion(nodes: ParsedNode[], call: RefCall): ParsedNode | undefined {
  if (nodes.length === 0) return undefined;
  if (call.version !== undefined) {
    const want = String(call.version);
    return nodes.find(
      (n) =>
        (n.name === call.name && n.config.version !== undefined && String(n.config.version) === want) ||
        n.name === `${call.name}_v${want}`,
    );
  }
  const unversioned = nodes.find((n) => n.config.version === undefined);
  if (unversioned) return unversioned;
  const latest = nodes.find((n) => n.config.latest_version !== undefined);
  if (latest) {
    const want = String(latest.config.latest_version);
    const match = nodes.find((n) => String(n.config.version) === want);
    if (match) return match;
  }
  return [...nodes].sort((a, b) => compareVersions(b.config.version, a.config.version))[0];
}

function compareVersions(a: unknown, b: unknown): number {
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return String(a).localeCompare(String(b));
}

/** Source tables by `source_name` and table name (all of them, enabled or not). */
export type SourceIndex = Map<string, SourceTable[]>;

const sourceKey = (sourceName: string, table: string): string => `${sourceName}\u0000${table}`;

export function buildSourceIndex(sources: SourceTable[]): SourceIndex {
  const index: SourceIndex = new Map();
  for (const s of sources) {
    const key = sourceKey(s.sourceName, s.name);
    const list = index.get(key);
    if (list) list.push(s);
    else index.set(key, [s]);
  }
  return index;
}

/** Sources by `source_name.table`, own package first, then the root project, then any. */
export function resolveSource(
  index: SourceIndex,
  call: SourceCall,
  fromPackage: string,
  rootPackage: string,
): Resolution<SourceTable> {
  const matches = index.get(sourceKey(call.sourceName, call.tableName)) ?? [];
  const enabled = matches.filter((s) => s.config.enabled !== false);
  for (const pkg of [fromPackage, rootPackage]) {
    const hit = enabled.find((s) => s.package === pkg);
    if (hit) return { kind: 'found', target: hit };
  }
  if (enabled.length > 0) return { kind: 'found', target: enabled[0] };
  if (matches.length > 0) return { kind: 'disabled', target: matches[0] };
  return { kind: 'missing' };
}

/** Where in `rawCode` a call sits: 1-based line and column of `ref(` / `source(`. */
export interface CallPosition {
  line: number;
  column: number;
}

/**
 * Finds the first `fn(` call whose arguments contain every name quoted. The parse phase records
 * what was called, not where, so this scan recovers a line for the error message; it returns
 * undefined when the call was built dynamically (a name in a variable).
 */
export function findCallPosition(
  rawCode: string,
  fn: 'ref' | 'source',
  names: string[],
): CallPosition | undefined {
  const pattern = new RegExp(`\\b${fn}\\s*\\(([^)]*)\\)`, 'g');
  for (let m = pattern.exec(rawCode); m !== null; m = pattern.exec(rawCode)) {
    const args = m[1];
    if (names.every((name) => args.includes(`'${name}'`) || args.includes(`"${name}"`))) {
      return positionOf(rawCode, m.index);
    }
  }
  return undefined;
}

function positionOf(text: string, index: number): CallPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}
