/**
 * Versions: one comparable string per node or source saying "what its data is now".
 *
 * A model records the versions of its parents when it is built (`model_state.upstream_versions`);
 * later, a parent whose version differs from the recorded one has changed since. The tokens are
 * plain strings so they survive the jsonb round trip unchanged:
 *
 * - a source: `t:<n>` (its trigger counter), `l:<max(loaded_at_field)>`, `k:<refresh_key result>`,
 *   or `untracked` when nothing can tell (such a source never looks changed; the plan says so);
 * - a table, incremental model, seed or snapshot: `m:<built_at>:<sql hash>`, a point-in-time copy;
 * - a view: `v:<sql hash>:<digest of its parents' versions>`. A view reads its parents live, so its
 *   data changes exactly when its SQL or a parent changes, not when it is re-created;
 * - an ephemeral model: `e:<digest of its parents' versions>` (its SQL lives in its consumers').
 *
 * Views and ephemeral models are "pass-through" nodes: their version carries their parents', so a
 * table over a view over a source sees the source move.
 */
import { createHash } from 'node:crypto';
import type { Manifest, ManifestNode } from '../graph/types';
import type { SourceTable } from '../project/types';
import type { ModelState } from '../state/types';

/** How a source's changes are detected, best first. */
export type SourceTracking = 'trigger' | 'loaded_at' | 'refresh_key' | 'untracked';

export interface SourceReading {
  tracking: SourceTracking;
  /** The raw value read (trigger counter, max loaded_at, refresh_key result); null when empty. */
  value: string | number | null;
}

/** Everything versions are computed from: model_state rows and source readings, at one moment. */
export interface Snapshot {
  /** `Date.now()` when it was read; `max_staleness` is measured against it. */
  takenAt: number;
  /** model_state by unique id; a node absent here was never built. */
  models: ReadonlyMap<string, ModelState>;
  /** Source readings by source unique id. */
  sources: ReadonlyMap<string, SourceReading>;
}

/** A node's role in freshness, decided by its materialization. */
export type NodeKind = 'stored' | 'view' | 'ephemeral';

export function nodeKind(node: ManifestNode): NodeKind {
  const materialized = String(node.config.materialized);
  switch (materialized) {
    case 'view':
      return 'view';
    case 'ephemeral':
      return 'ephemeral';
    default:
      // table, incremental, seed, snapshot and custom materializations store their data.
      return 'stored';
  }
}

/** Which of a source's change detectors to read, given whether a trigger counts it. */
export function sourceTracking(source: SourceTable, hasTriggerRow: boolean): SourceTracking {
  if (hasTriggerRow) return 'trigger';
  if (source.loadedAtField) return 'loaded_at';
  if (refreshKeyOf(source) !== undefined) return 'refresh_key';
  return 'untracked';
}

/** `config.refresh_key` (or dbt 1.10's `loaded_at_query`): a query whose result changes with the data. */
export function refreshKeyOf(source: SourceTable): string | undefined {
  const key = source.config.refresh_key ?? source.loadedAtQuery;
  return typeof key === 'string' && key.trim() !== '' ? key : undefined;
}

export function sourceVersion(reading: SourceReading): string {
  switch (reading.tracking) {
    case 'trigger':
      return `t:${reading.value ?? 0}`;
    case 'loaded_at':
      return `l:${reading.value ?? ''}`;
    case 'refresh_key':
      return `k:${reading.value ?? ''}`;
    case 'untracked':
      return 'untracked';
    default:
      throw unreachable(reading.tracking);
  }
}

/**
 * A timestamp as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, whether it comes as a `Date` (the runner's clock,
 * millisecond precision) or as the state store's ISO text (microseconds): both spell one instant
 * the same way.
 */
export function canonicalTimestamp(t: Date | string): string {
  if (typeof t === 'string') {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(t);
    if (m) return `${m[1]}.${(m[2] ?? '').padEnd(6, '0')}Z`;
    t = new Date(t);
  }
  return t.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The built facts of a stored node as a version; null when never built. */
export function storedVersion(state: Pick<ModelState, 'builtAt' | 'sqlHash'> | undefined): string | null {
  if (!state?.builtAt) return null;
  return `m:${canonicalTimestamp(state.builtAt)}:${(state.sqlHash ?? '').slice(0, 16)}`;
}

/**
 * Computes versions of nodes and sources over one snapshot, memoized: pass-through nodes digest
 * their parents' versions, so each is computed once however many consumers ask.
 */
export class VersionBook {
  private readonly memo = new Map<string, string | null>();

  constructor(
    private readonly manifest: Manifest,
    private readonly snapshot: Snapshot,
  ) {}

  /** The version of a node or source now; null for a node never built (or a parent never read). */
  of(id: string): string | null {
    if (this.memo.has(id)) return this.memo.get(id)!;
    const version = this.compute(id);
    this.memo.set(id, version);
    return version;
  }

  /** What a build of `nodeId` now should record in `upstream_versions`: every parent's version. */
  upstreamOf(nodeId: string): Record<string, string> {
    const record: Record<string, string> = {};
    for (const parent of this.manifest.parents.get(nodeId) ?? []) {
      const version = this.of(parent);
      if (version !== null) record[parent] = version;
    }
    return record;
  }

  private compute(id: string): string | null {
    const source = this.manifest.sources.get(id);
    if (source) {
      const reading = this.snapshot.sources.get(id);
      return reading ? sourceVersion(reading) : null;
    }
    const node = this.manifest.nodes.get(id);
    if (!node) return null;
    const state = this.snapshot.models.get(id);
    const kind = nodeKind(node);
    switch (kind) {
      case 'stored':
        return storedVersion(state);
      case 'view':
        if (!state?.builtAt) return null;
        return `v:${(state.sqlHash ?? '').slice(0, 16)}:${this.digestParents(id)}`;
      case 'ephemeral':
        return `e:${this.digestParents(id)}`;
      default:
        throw unreachable(kind);
    }
  }

  private digestParents(id: string): string {
    const hash = createHash('sha256');
    for (const parent of this.manifest.parents.get(id) ?? []) {
      hash
        .update(parent)
        .update('\0')
        .update(this.of(parent) ?? '<none>')
        .update('\n');
    }
    return hash.digest('hex').slice(0, 16);
  }
}

/**
 * What the runner records as `upstream_versions` for `nodeId`: `{ parentId: version }` over its
 * parents, read from a snapshot taken before the run started and updated with `withBuilt` as
 * parents finish in the same run.
 */
export function upstreamVersionsFor(
  manifest: Manifest,
  nodeId: string,
  snapshot: Snapshot,
): Record<string, string> {
  return new VersionBook(manifest, snapshot).upstreamOf(nodeId);
}

/** The built facts the runner knows about a node it just built (what it writes to model_state). */
export interface BuiltFacts {
  builtAt: Date | string;
  sqlHash: string;
}

/** The snapshot with `nodeId` just built successfully (the runner calls this as each node finishes). */
export function withBuilt(snapshot: Snapshot, nodeId: string, built: BuiltFacts): Snapshot {
  const models = new Map(snapshot.models);
  const previous = models.get(nodeId);
  const builtAt = typeof built.builtAt === 'string' ? built.builtAt : canonicalTimestamp(built.builtAt);
  models.set(nodeId, {
    uniqueId: nodeId,
    resourceType: previous?.resourceType ?? 'model',
    relation: previous?.relation ?? null,
    materialization: previous?.materialization ?? null,
    configHash: previous?.configHash ?? null,
    upstreamVersions: previous?.upstreamVersions ?? {},
    watermark: previous?.watermark ?? null,
    rowCount: previous?.rowCount ?? null,
    lastDurationMs: previous?.lastDurationMs ?? null,
    lastInvocationId: previous?.lastInvocationId ?? '',
    updatedAt: builtAt,
    builtAt,
    sqlHash: built.sqlHash,
    lastStatus: 'success',
    lastError: null,
  });
  return { ...snapshot, models };
}

/**
 * The ids whose versions a build or a check of `ids` reads: each node's parents, and through views
 * and ephemeral models their parents in turn (a pass-through version digests its parents').
 */
export function versionInputs(manifest: Manifest, ids: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const expanded = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.add(id);
    if (expanded.has(id)) continue;
    expanded.add(id);
    for (const parent of manifest.parents.get(id) ?? []) {
      const p = manifest.nodes.get(parent);
      // A stored parent's version is its own; a pass-through parent's needs its parents too.
      if (p && nodeKind(p) === 'stored') out.add(parent);
      else stack.push(parent);
    }
  }
  return out;
}

export function unreachable(value: never): Error {
  return new Error(`unreachable: ${JSON.stringify(value)}`);
}
