/**
 * Planning a refresh: which of a target's ancestors (and itself) to rebuild, and in what order.
 * Pure: a manifest and a snapshot in, a plain record out, printable with `describePlan`.
 *
 * A node is stale when it was never built, its compiled SQL changed, its last build failed, a
 * parent's version differs from the one it recorded at build (`upstream_changed`), or a parent in
 * the plan will change (`upstream_stale`). Within its `max_staleness` (seconds since its build) a
 * model tolerates the two upstream reasons and counts as fresh.
 *
 * Snapshots are never rebuilt by a refresh (they capture history when `snapshot` or `build` runs
 * them); their readers go stale when they do, as with a source.
 *
 * Views and ephemeral models read their parents live: a change upstream reaches their readers
 * without a rebuild, so only their own reasons (never built, SQL changed, failed) make a view
 * stale, and an ephemeral model is never rebuilt (its consumers are). Their versions carry their
 * parents' (see versions.ts), so a table over a view over a source still sees the source move.
 *
 * Only what the target needs is rebuilt: the target, and the parents of every needed node that is
 * stale (it reads them when rebuilt) or pass-through (its readers read them). A stale ancestor
 * behind a model that tolerates it is left alone; so is a stale sibling branch.
 */
import { ancestors, topoSort } from '../graph';
import type { Manifest } from '../graph/types';
import { nodeKind, VersionBook, type Snapshot } from './versions';

export type StaleReason =
  | 'never_built'
  | 'sql_changed'
  | 'upstream_changed'
  | 'upstream_stale'
  | 'last_build_failed'
  /** Rebuilt because the caller asked (`NO_CACHE`), not because anything changed. */
  | 'forced';

export interface StaleNode {
  id: string;
  reasons: StaleReason[];
  /** For `upstream_changed`: the parents whose version moved. */
  changedParents?: string[];
}

export interface ToleratedNode {
  id: string;
  /** What would have made it stale. */
  reasons: StaleReason[];
  builtAt: string;
  maxStalenessS: number;
}

export interface RefreshPlan {
  target: string;
  /** The nodes to rebuild, with why, in `order`'s order. */
  stale: StaleNode[];
  /** Ids to rebuild, topologically ordered: the stale slice of the target and its ancestors. */
  order: string[];
  /** Nothing to rebuild. */
  fresh: boolean;
  /** Needed models that are stale only upstream, within their `max_staleness`. */
  tolerated: ToleratedNode[];
  /** Sources upstream of the target whose changes nothing can detect (no trigger, loaded_at_field or refresh_key). */
  untracked: string[];
  /** When the snapshot was read (ms since the epoch). */
  checkedAt: number;
  /**
   * The version of the target's data as readers saw it in the snapshot (a view's carries its
   * parents'); null when never built. Keys cached query results: same version, same rows.
   */
  targetVersion: string | null;
}

export interface PlanOptions {
  /** The hash of a node's compiled SQL now, compared with model_state.sql_hash; undefined skips the check. */
  compiledSqlHash?: (id: string) => string | undefined;
}

const TOLERABLE: ReadonlySet<StaleReason> = new Set(['upstream_changed', 'upstream_stale']);

/** The ids a plan for `targetId` reads: the target and all its ancestors (nodes and sources). */
export function planInputs(manifest: Manifest, targetId: string): Set<string> {
  const ids = ancestors(manifest, [targetId]);
  ids.add(targetId);
  return ids;
}

export function planRefresh(
  manifest: Manifest,
  targetId: string,
  snapshot: Snapshot,
  options: PlanOptions = {},
): RefreshPlan {
  if (!manifest.nodes.has(targetId)) throw new Error(`planRefresh: unknown node ${targetId}`);
  const scope = planInputs(manifest, targetId);
  const order = topoSort(manifest, scope);
  const book = new VersionBook(manifest, snapshot);
  const parentsOf = (id: string) => manifest.parents.get(id) ?? [];

  const staleById = new Map<string, StaleNode>();
  const toleratedById = new Map<string, ToleratedNode>();
  /** Whether a node's data, as its readers see it, changes once the plan has run. */
  const changes = new Set<string>();

  for (const id of order) {
    const node = manifest.nodes.get(id)!;
    const kind = nodeKind(node);
    const parentChanges = parentsOf(id).some((p) => changes.has(p));
    if (kind === 'ephemeral') {
      if (parentChanges) changes.add(id);
      continue;
    }
    // A snapshot records history when `snapshot`/`build` runs it, never because someone reads
    // downstream: a refresh does not run it, so it is never planned. It still moves its readers
    // (its version is its last build), like a source.
    if (node.resourceType === 'snapshot') continue;
    const state = snapshot.models.get(id);
    const reasons: StaleReason[] = [];
    let changedParents: string[] | undefined;
    if (!state?.builtAt) reasons.push('never_built');
    else {
      const hash = options.compiledSqlHash?.(id);
      if (hash !== undefined && hash !== state.sqlHash) reasons.push('sql_changed');
    }
    if (state?.lastStatus === 'error') reasons.push('last_build_failed');
    if (state?.builtAt && kind === 'stored') {
      const recorded = state.upstreamVersions ?? {};
      changedParents = parentsOf(id).filter((p) => {
        const was = recorded[p];
        return (was === undefined ? null : String(was)) !== book.of(p);
      });
      if (changedParents.length > 0) reasons.push('upstream_changed');
      if (parentChanges) reasons.push('upstream_stale');
    }
    if (reasons.length === 0) {
      if (kind === 'view' && parentChanges) changes.add(id);
      continue;
    }
    const maxStalenessS = maxStalenessOf(node.config.max_staleness);
    if (
      state?.builtAt &&
      maxStalenessS !== undefined &&
      reasons.every((r) => TOLERABLE.has(r)) &&
      Date.parse(state.builtAt) + maxStalenessS * 1000 >= snapshot.takenAt
    ) {
      toleratedById.set(id, { id, reasons, builtAt: state.builtAt, maxStalenessS });
      continue;
    }
    staleById.set(id, changedParents?.length ? { id, reasons, changedParents } : { id, reasons });
    changes.add(id);
  }

  // Walk down from the target: a needed node needs its parents when it will be rebuilt (it reads
  // them then) or when it is pass-through (its readers read them through it).
  const needed = new Set([targetId]);
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    if (!needed.has(id)) continue;
    const kind = nodeKind(manifest.nodes.get(id)!);
    if (kind === 'stored' && !staleById.has(id)) continue;
    for (const p of parentsOf(id)) needed.add(p);
  }

  const rebuild = order.filter((id) => staleById.has(id) && needed.has(id));
  return {
    target: targetId,
    stale: rebuild.map((id) => staleById.get(id)!),
    order: rebuild,
    fresh: rebuild.length === 0,
    tolerated: order
      .filter((id) => toleratedById.has(id) && needed.has(id))
      .map((id) => toleratedById.get(id)!),
    untracked: [...scope].filter((id) => snapshot.sources.get(id)?.tracking === 'untracked').sort(),
    checkedAt: snapshot.takenAt,
    targetVersion: book.of(targetId),
  };
}

/**
 * The plan with its target rebuilt whatever its state (`NO_CACHE`): the stale slice as planned,
 * then the target. An ephemeral target builds nothing of its own and is left as planned.
 */
export function forcePlan(manifest: Manifest, plan: RefreshPlan): RefreshPlan {
  const node = manifest.nodes.get(plan.target);
  if (!node || nodeKind(node) === 'ephemeral' || plan.order.includes(plan.target)) return plan;
  return {
    ...plan,
    stale: [...plan.stale, { id: plan.target, reasons: ['forced'] }],
    order: [...plan.order, plan.target],
    fresh: false,
    tolerated: plan.tolerated.filter((t) => t.id !== plan.target),
  };
}

/** `max_staleness` in seconds from a model's config: a non-negative number or numeric string. */
export function maxStalenessOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
