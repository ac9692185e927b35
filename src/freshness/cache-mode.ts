/**
 * The `cache` argument of a model query, as a pure decision: given the mode and the plan, what the
 * resolver does and which `meta.freshness` it will report. The resolver then carries it out with
 * the refresher (and `withinBudget` for STALE_IF_SLOW).
 *
 * - MUST_REVALIDATE (default): refresh the stale slice, then answer (REFRESHED), or answer (FRESH).
 * - STALE_WHILE_REVALIDATE: answer now (STALE_SERVED) and refresh in the background.
 * - STALE_IF_SLOW: wait for the refresh up to the budget (REFRESHED), else answer stale while it
 *   finishes (STALE_SERVED).
 * - NO_CACHE: refresh even when fresh (the target at least), then answer (REFRESHED); admin only.
 */
import type { ParsedNode } from '../graph/types';
import type { RefreshPlan } from './plan';
import { unreachable } from './versions';

export const CACHE_MODES = [
  'MUST_REVALIDATE',
  'STALE_WHILE_REVALIDATE',
  'STALE_IF_SLOW',
  'NO_CACHE',
] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export type FreshnessLabel = 'FRESH' | 'REFRESHED' | 'STALE_SERVED';

export type CacheDecision =
  /** Nothing to refresh: answer from the relation as it is. */
  | { action: 'ANSWER'; freshness: 'FRESH' }
  /** Refresh (forced: even the fresh target), wait for it, then answer. */
  | { action: 'REFRESH_THEN_ANSWER'; force: boolean; freshness: 'REFRESHED' }
  /** Answer from the old data now; start the refresh without waiting. */
  | { action: 'ANSWER_THEN_REFRESH'; freshness: 'STALE_SERVED' }
  /** Start the refresh; answer when it finishes or when the budget runs out, whichever is first. */
  | {
      action: 'WAIT_UP_TO_BUDGET';
      budgetMs: number;
      freshness: { onTime: 'REFRESHED'; late: 'STALE_SERVED' };
    };

export function decide(mode: CacheMode, plan: RefreshPlan, budgetMs: number): CacheDecision {
  switch (mode) {
    case 'NO_CACHE':
      return { action: 'REFRESH_THEN_ANSWER', force: true, freshness: 'REFRESHED' };
    case 'MUST_REVALIDATE':
      return plan.fresh
        ? { action: 'ANSWER', freshness: 'FRESH' }
        : { action: 'REFRESH_THEN_ANSWER', force: false, freshness: 'REFRESHED' };
    case 'STALE_WHILE_REVALIDATE':
      return plan.fresh
        ? { action: 'ANSWER', freshness: 'FRESH' }
        : { action: 'ANSWER_THEN_REFRESH', freshness: 'STALE_SERVED' };
    case 'STALE_IF_SLOW':
      if (plan.fresh) return { action: 'ANSWER', freshness: 'FRESH' };
      if (!(budgetMs > 0)) return { action: 'ANSWER_THEN_REFRESH', freshness: 'STALE_SERVED' };
      return {
        action: 'WAIT_UP_TO_BUDGET',
        budgetMs,
        freshness: { onTime: 'REFRESHED', late: 'STALE_SERVED' },
      };
    default:
      throw unreachable(mode);
  }
}

/** Whether a mode needs the admin token. */
export function cacheModeNeedsAdmin(mode: CacheMode): boolean {
  return mode === 'NO_CACHE';
}

/**
 * The mode a query uses: the one it asked for, else the model's own default (`cache_mode` in its
 * config, e.g. `+cache_mode: STALE_WHILE_REVALIDATE`), else MUST_REVALIDATE.
 */
export function cacheModeFor(node: Pick<ParsedNode, 'config'>, requested?: CacheMode | null): CacheMode {
  if (requested) return requested;
  const configured = String(node.config.cache_mode ?? '').toUpperCase();
  return (CACHE_MODES as readonly string[]).includes(configured)
    ? (configured as CacheMode)
    : 'MUST_REVALIDATE';
}

/**
 * Waits for `promise` at most `budgetMs`: `{ done: true, value }` when it settled in time (a
 * rejection is rethrown), `{ done: false }` when the budget ran out (the promise keeps running; its
 * later rejection is swallowed here, so the caller should log it through its own handler).
 */
export async function withinBudget<T>(
  promise: Promise<T>,
  budgetMs: number,
): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, budgetMs));
  });
  try {
    return await Promise.race([promise.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => undefined);
  }
}
