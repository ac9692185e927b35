/**
 * Carrying out refresh plans, once however many ask.
 *
 * In one process, concurrent refreshes of one target share one promise. Across processes (several
 * `martql serve` replicas on one Postgres), the refresh runs under the advisory lock
 * `refresh:<target>`; whoever gets the lock re-checks staleness first (a snapshot read now, not the
 * cached one the plan came from), so a waiter that another process has just served skips instead
 * of rebuilding again. On PGlite the lock is in-process, which is all one embedded database needs.
 *
 * A request that arrives while a refresh of its target is running joins it, even if data changed
 * after that refresh planned: the next request will find the change.
 */
import type { Warehouse } from '../warehouse';
import type { RefreshPlan } from './plan';
import { SingleFlight } from './single-flight';

export type RefreshKind = 'FULL' | 'INCREMENTAL' | 'NONE';

export interface RefreshReport {
  /** INCREMENTAL when every rebuilt stored model ran incrementally, NONE when nothing ran. */
  kind: RefreshKind;
  refreshedModels: string[];
  durationMs: number;
  rowsAffected: number;
  /** Models of the plan whose build failed (their old data stays readable). */
  failedModels?: string[];
  /** Why nothing ran: the plan was fresh, or the re-check under the lock found it fresh. */
  skipped?: 'already_fresh' | 'refreshed_elsewhere';
}

export interface RefresherOptions {
  warehouse: Pick<Warehouse, 'withLock'>;
  /** Rebuilds `plan.order` (through the runner, trigger `graphql`). */
  execute: (plan: RefreshPlan) => Promise<RefreshReport>;
  /** The target's plan from a snapshot read now, bypassing any cache; called under the lock. */
  recheck: (targetId: string) => Promise<RefreshPlan>;
  /** Turns a NO_CACHE re-check into a plan that rebuilds the target anyway. */
  force?: (plan: RefreshPlan) => RefreshPlan;
  /** The advisory lock's key; `refresh:<id>` by default. */
  lockKey?: (targetId: string) => string;
  /** Called after `execute` returns (e.g. to invalidate snapshot and result caches). */
  onRefreshed?: (report: RefreshReport, plan: RefreshPlan) => void;
  now?: () => number;
}

export interface RefreshOptions {
  /** Rebuild the target even if the re-check finds it fresh (NO_CACHE). */
  force?: boolean;
}

export interface Refresher {
  /** Refreshes `plan.order` unless another caller or process already did; one run per target at a time. */
  refresh(targetId: string, plan: RefreshPlan, options?: RefreshOptions): Promise<RefreshReport>;
  /** Whether a refresh of `targetId` is running in this process. */
  inFlight(targetId: string): boolean;
}

export function noRefresh(durationMs: number, skipped?: RefreshReport['skipped']): RefreshReport {
  return { kind: 'NONE', refreshedModels: [], durationMs, rowsAffected: 0, ...(skipped ? { skipped } : {}) };
}

export function createRefresher(options: RefresherOptions): Refresher {
  const lockKey = options.lockKey ?? ((id: string) => `refresh:${id}`);
  const now = options.now ?? Date.now;
  const flights = new SingleFlight<RefreshReport>();

  return {
    refresh(targetId, plan, refreshOptions = {}) {
      if (plan.target !== targetId) {
        return Promise.reject(new Error(`refresh(${targetId}) given the plan of ${plan.target}`));
      }
      if (plan.fresh) return Promise.resolve(noRefresh(0, 'already_fresh'));
      return flights.run(targetId, () => {
        const started = now();
        return options.warehouse.withLock(lockKey(targetId), async () => {
          let current = await options.recheck(targetId);
          if (refreshOptions.force && options.force) current = options.force(current);
          if (current.fresh) return noRefresh(now() - started, 'refreshed_elsewhere');
          const report = await options.execute(current);
          options.onRefreshed?.(report, current);
          return report;
        });
      });
    },
    inFlight: (targetId) => flights.has(targetId),
  };
}

/** One node's outcome as the runner reports it (a structural subset of run/'s NodeResult). */
export interface RefreshedNode {
  uniqueId: string;
  status: string;
  /** The runner's run kind: 'full', 'incremental', 'microbatch', 'view', 'noop', ... */
  kind: string;
  rowsAffected?: number | null;
}

const INCREMENTAL_KINDS: ReadonlySet<string> = new Set(['incremental', 'append', 'microbatch']);

/** The report of a refresh from the runner's node results: what `execute` returns. */
export function refreshReportFrom(results: readonly RefreshedNode[], durationMs: number): RefreshReport {
  const built = results.filter((r) => r.status === 'success' && r.kind !== 'noop');
  const failed = results.filter((r) => r.status === 'error').map((r) => r.uniqueId);
  const failedModels = failed.length > 0 ? { failedModels: failed } : {};
  if (built.length === 0) return { ...noRefresh(durationMs), ...failedModels };
  const stored = built.filter((r) => r.kind !== 'view');
  const incremental = stored.length > 0 && stored.every((r) => INCREMENTAL_KINDS.has(r.kind));
  return {
    ...failedModels,
    kind: incremental ? 'INCREMENTAL' : 'FULL',
    refreshedModels: built.map((r) => r.uniqueId),
    durationMs,
    rowsAffected: built.reduce((sum, r) => sum + (r.rowsAffected ?? 0), 0),
  };
}
