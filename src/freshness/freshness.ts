/**
 * The freshness layer put together for a server: a cached snapshot reader, the planner and the
 * refresher sharing one manifest. A resolver calls `plan(target)`, `decide(...)`, then
 * `refresh(target, plan)` as the decision says.
 *
 * @example
 *   const freshness = createFreshness({ store, warehouse, manifest, execute });
 *   const plan = await freshness.plan('model.shop.orders');
 *   const decision = decide(mode, plan, budgetMs);
 *   if (decision.action === 'REFRESH_THEN_ANSWER') await freshness.refresh(plan.target, plan, decision);
 */
import type { Manifest } from '../graph/types';
import type { StateStore } from '../state';
import type { Warehouse } from '../warehouse';
import { forcePlan, planInputs, planRefresh, type PlanOptions, type RefreshPlan } from './plan';
import { createRefresher, type RefreshOptions, type RefreshReport, type Refresher } from './refresher';
import { createSnapshotReader, type SnapshotReader } from './snapshot-reader';

export interface FreshnessOptions extends PlanOptions {
  store: StateStore;
  warehouse: Warehouse;
  manifest: Manifest;
  execute: (plan: RefreshPlan) => Promise<RefreshReport>;
  /** How long a check answers for (ms); 1000 by default. */
  intervalMs?: number;
  lockKey?: (targetId: string) => string;
  /** Called after every refresh that ran (e.g. to drop cached query results). */
  onRefreshed?: (report: RefreshReport, plan: RefreshPlan) => void;
}

export interface Freshness {
  /** The target's plan from a snapshot at most `intervalMs` old. */
  plan(targetId: string): Promise<RefreshPlan>;
  /** The target's plan from a snapshot read now. */
  planNow(targetId: string): Promise<RefreshPlan>;
  refresh(targetId: string, plan: RefreshPlan, options?: RefreshOptions): Promise<RefreshReport>;
  readonly reader: SnapshotReader;
  readonly refresher: Refresher;
}

export function createFreshness(options: FreshnessOptions): Freshness {
  const { manifest } = options;
  const reader = createSnapshotReader({
    store: options.store,
    warehouse: options.warehouse,
    manifest,
    intervalMs: options.intervalMs,
  });
  const planOptions: PlanOptions = { compiledSqlHash: options.compiledSqlHash };
  const planNow = async (targetId: string) =>
    planRefresh(manifest, targetId, await reader.readFresh(planInputs(manifest, targetId)), planOptions);
  const refresher = createRefresher({
    warehouse: options.warehouse,
    execute: options.execute,
    recheck: planNow,
    force: (plan) => forcePlan(manifest, plan),
    lockKey: options.lockKey,
    onRefreshed: (report, plan) => {
      reader.invalidate();
      options.onRefreshed?.(report, plan);
    },
  });
  return {
    async plan(targetId) {
      return planRefresh(manifest, targetId, await reader.read(planInputs(manifest, targetId)), planOptions);
    },
    planNow,
    refresh: (targetId, plan, refreshOptions) =>
      refresher.refresh(targetId, refreshOptions?.force ? forcePlan(manifest, plan) : plan, refreshOptions),
    reader,
    refresher,
  };
}
