/**
 * A stand-in for the runner that follows the contract freshness needs: read a snapshot before the
 * first build, record `upstreamVersionsFor` with each model_state row, and fold each finished
 * build into the snapshot with `withBuilt`. It builds nothing; it only writes model_state.
 */
import {
  readSnapshot,
  upstreamVersionsFor,
  versionInputs,
  withBuilt,
  type RefreshPlan,
  type RefreshReport,
} from '../../src/freshness';
import type { Manifest } from '../../src/graph/types';
import type { StateStore } from '../../src/state';
import type { Warehouse } from '../../src/warehouse';

export interface FakeRun {
  plan: RefreshPlan;
  startedAt: number;
}

export function fakeExecute(
  store: StateStore,
  warehouse: Warehouse,
  manifest: Manifest,
  runs: FakeRun[],
  buildMs = 0,
): (plan: RefreshPlan) => Promise<RefreshReport> {
  return async (plan) => {
    const startedAt = Date.now();
    runs.push({ plan, startedAt });
    let snap = await readSnapshot(store, warehouse, manifest, versionInputs(manifest, plan.order));
    for (const id of plan.order) {
      if (buildMs > 0) await new Promise((resolve) => setTimeout(resolve, buildMs));
      const builtAt = new Date();
      const sqlHash = `sql-${id}`;
      await store.upsertModelState({
        status: 'success',
        uniqueId: id,
        resourceType: 'model',
        relation: null,
        materialization: String(manifest.nodes.get(id)!.config.materialized),
        sqlHash,
        configHash: 'c',
        builtAt,
        upstreamVersions: upstreamVersionsFor(manifest, id, snap),
        durationMs: buildMs,
        invocationId: `inv-${startedAt}`,
      });
      snap = withBuilt(snap, id, { builtAt, sqlHash });
    }
    return { kind: 'FULL', refreshedModels: plan.order, durationMs: Date.now() - startedAt, rowsAffected: 0 };
  };
}
