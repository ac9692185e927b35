/**
 * Single-flight refreshes: many concurrent requests in one process run one refresh; two
 * processes (two Warehouse instances on one Postgres) run one between them, the other re-checking
 * under the advisory lock and skipping.
 */
import {
  createFreshness,
  createRefresher,
  refreshReportFrom,
  type RefreshPlan,
  type RefreshReport,
} from '../../src/freshness';
import type { Manifest } from '../../src/graph/types';
import { openStateStore, type StateStore } from '../../src/state';
import { openWarehouse, qualify, quoteIdent, type Warehouse } from '../../src/warehouse';
import { node, source } from '../graph/helpers';
import {
  DATABASE_URL,
  describePostgres,
  openTestWarehouse,
  uniqueSchemaName,
  type TestWarehouse,
} from '../helpers/warehouse';
import { fakeExecute, type FakeRun } from './fake-runner';
import { m, manifestOf } from './helpers';

const stalePlan = (target: string, order = [target]): RefreshPlan => ({
  target,
  stale: order.map((id) => ({ id, reasons: ['upstream_changed'] })),
  order,
  fresh: false,
  tolerated: [],
  untracked: [],
  checkedAt: 0,
  targetVersion: null,
});
const freshPlan = (target: string): RefreshPlan => ({ ...stalePlan(target, []), fresh: true, stale: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (plan: RefreshPlan): RefreshReport => ({
  kind: 'FULL',
  refreshedModels: plan.order,
  durationMs: 1,
  rowsAffected: 3,
});

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
});
afterAll(() => t?.cleanup());

describe('createRefresher', () => {
  it('runs execute once for 200 concurrent refreshes of one target', async () => {
    let executions = 0;
    let rechecks = 0;
    let done = false;
    const refresher = createRefresher({
      warehouse: t.wh,
      recheck: async (id) => {
        rechecks++;
        return done ? freshPlan(id) : stalePlan(id);
      },
      execute: async (plan) => {
        executions++;
        await sleep(50);
        done = true;
        return report(plan);
      },
    });
    const reports = await Promise.all(
      Array.from({ length: 200 }, () => refresher.refresh('model.p.a', stalePlan('model.p.a'))),
    );
    expect(executions).toBe(1);
    expect(rechecks).toBe(1);
    expect(new Set(reports).size).toBe(1);
    expect(reports[0]).toEqual({
      kind: 'FULL',
      refreshedModels: ['model.p.a'],
      durationMs: 1,
      rowsAffected: 3,
    });
    expect(refresher.inFlight('model.p.a')).toBe(false);

    // A request that planned from an old snapshot re-checks and skips.
    const late = await refresher.refresh('model.p.a', stalePlan('model.p.a'));
    expect(late).toMatchObject({ kind: 'NONE', refreshedModels: [], skipped: 'refreshed_elsewhere' });
    expect(executions).toBe(1);
  });

  it('runs different targets independently and answers a fresh plan without locking', async () => {
    const executed: string[] = [];
    const refresher = createRefresher({
      warehouse: { withLock: () => Promise.reject(new Error('no lock expected')) },
      recheck: async (id) => stalePlan(id),
      execute: async (plan) => {
        executed.push(plan.target);
        return report(plan);
      },
    });
    await expect(refresher.refresh('a', freshPlan('a'))).resolves.toEqual({
      kind: 'NONE',
      refreshedModels: [],
      durationMs: 0,
      rowsAffected: 0,
      skipped: 'already_fresh',
    });
    expect(executed).toEqual([]);

    const both = createRefresher({
      warehouse: t.wh,
      recheck: async (id) => stalePlan(id),
      execute: async (plan) => {
        executed.push(plan.target);
        await sleep(10);
        return report(plan);
      },
    });
    await Promise.all([
      both.refresh('a', stalePlan('a')),
      both.refresh('b', stalePlan('b')),
      both.refresh('a', stalePlan('a')),
    ]);
    expect(executed.sort()).toEqual(['a', 'b']);
    await expect(both.refresh('a', stalePlan('b'))).rejects.toThrow('given the plan of b');
  });

  it('executes the re-checked plan, not the possibly older one it was given', async () => {
    const seen: string[][] = [];
    const refresher = createRefresher({
      warehouse: t.wh,
      recheck: async (id) => stalePlan(id, ['x', id]),
      execute: async (plan) => {
        seen.push(plan.order);
        return report(plan);
      },
    });
    await refresher.refresh('t', stalePlan('t'));
    expect(seen).toEqual([['x', 't']]);
  });

  it('shares a failure with every waiter, and the next request tries again', async () => {
    let attempts = 0;
    const refresher = createRefresher({
      warehouse: t.wh,
      recheck: async (id) => stalePlan(id),
      execute: async (plan) => {
        attempts++;
        await sleep(10);
        if (attempts === 1) throw new Error('build failed');
        return report(plan);
      },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => refresher.refresh('a', stalePlan('a'))),
    );
    expect(results.every((r) => r.status === 'rejected' && String(r.reason).includes('build failed'))).toBe(
      true,
    );
    expect(attempts).toBe(1);
    await expect(refresher.refresh('a', stalePlan('a'))).resolves.toMatchObject({ kind: 'FULL' });
    expect(attempts).toBe(2);
  });

  it('forces a re-checked fresh plan when asked (NO_CACHE)', async () => {
    const seen: string[][] = [];
    const refresher = createRefresher({
      warehouse: t.wh,
      recheck: async (id) => freshPlan(id),
      force: (plan) => stalePlan(plan.target),
      execute: async (plan) => {
        seen.push(plan.order);
        return report(plan);
      },
    });
    await refresher.refresh('t', stalePlan('t'), { force: true });
    await refresher.refresh('t', stalePlan('t'));
    expect(seen).toEqual([['t']]);
  });
});

describe('refreshReportFrom', () => {
  it('summarizes the runner results: kind, models, rows', () => {
    expect(
      refreshReportFrom(
        [
          { uniqueId: 'a', status: 'success', kind: 'incremental', rowsAffected: 5 },
          { uniqueId: 'v', status: 'success', kind: 'view', rowsAffected: null },
          { uniqueId: 'e', status: 'success', kind: 'noop', rowsAffected: null },
        ],
        12,
      ),
    ).toEqual({ kind: 'INCREMENTAL', refreshedModels: ['a', 'v'], durationMs: 12, rowsAffected: 5 });
    expect(
      refreshReportFrom(
        [
          { uniqueId: 'a', status: 'success', kind: 'incremental', rowsAffected: 5 },
          { uniqueId: 'b', status: 'success', kind: 'table', rowsAffected: 7 },
          { uniqueId: 'c', status: 'error', kind: 'table' },
        ],
        3,
      ),
    ).toEqual({
      kind: 'FULL',
      refreshedModels: ['a', 'b'],
      durationMs: 3,
      rowsAffected: 12,
      failedModels: ['c'],
    });
    expect(refreshReportFrom([], 0)).toEqual({
      kind: 'NONE',
      refreshedModels: [],
      durationMs: 0,
      rowsAffected: 0,
    });
  });
});

/** raw.orders -> stg (table) -> mart (table), with a change trigger on raw.orders. */
async function project(wh: Warehouse, schema: string, stateSchema: string) {
  const store = await openStateStore(wh, { schema: stateSchema });
  const manifest: Manifest = manifestOf(
    [
      node({ name: 'stg', sources: ['raw.orders'], config: { materialized: 'table' } }),
      node({ name: 'mart', refs: ['stg'], config: { materialized: 'table' } }),
    ],
    [source('raw', 'orders', { schema, identifier: 'orders' })],
  );
  return { store, manifest };
}

async function freshnessOn(wh: Warehouse, store: StateStore, manifest: Manifest, runs: FakeRun[]) {
  return createFreshness({
    store,
    warehouse: wh,
    manifest,
    execute: fakeExecute(store, wh, manifest, runs, 100),
  });
}

describe('createFreshness end to end on the state store', () => {
  it('plans, refreshes once for a burst, then finds the target fresh', async () => {
    const stateSchema = uniqueSchemaName('state');
    try {
      await t.wh.query(`create table ${qualify(t.schema, 'orders')} (id int)`);
      const { store, manifest } = await project(t.wh, t.schema, stateSchema);
      await store.installChangeTrigger(t.schema, 'orders');
      const runs: FakeRun[] = [];
      const freshness = await freshnessOn(t.wh, store, manifest, runs);

      const first = await freshness.plan(m('mart'));
      expect(first.stale.map((s) => s.reasons)).toEqual([['never_built'], ['never_built']]);
      const reports = await Promise.all(
        Array.from({ length: 200 }, async () =>
          freshness.refresh(m('mart'), await freshness.plan(m('mart'))),
        ),
      );
      expect(runs).toHaveLength(1);
      expect(reports[0].refreshedModels).toEqual([m('stg'), m('mart')]);
      expect((await freshness.plan(m('mart'))).fresh).toBe(true);

      await t.wh.query(`insert into ${qualify(t.schema, 'orders')} values (1)`);
      // Within the check interval (1 s) the cached snapshot still answers; planNow reads now.
      expect((await freshness.plan(m('mart'))).fresh).toBe(true);
      const stale = await freshness.planNow(m('mart'));
      expect(stale.order).toEqual([m('stg'), m('mart')]);
      await freshness.refresh(m('mart'), stale);
      expect(runs).toHaveLength(2);
      expect((await freshness.plan(m('mart'))).fresh).toBe(true);

      // NO_CACHE: a fresh target is rebuilt anyway, its fresh parent is not.
      await freshness.refresh(m('mart'), await freshness.plan(m('mart')), { force: true });
      expect(runs.map((r) => r.plan.order)).toEqual([
        [m('stg'), m('mart')],
        [m('stg'), m('mart')],
        [m('mart')],
      ]);
    } finally {
      await t.wh.query(`drop schema if exists ${quoteIdent(stateSchema)} cascade`);
    }
  });
});

describePostgres('across processes (two Warehouse instances on Postgres)', () => {
  it('one refreshes; the other waits on the advisory lock, re-checks and skips', async () => {
    const stateSchema = uniqueSchemaName('state');
    const [w1, w2] = await Promise.all([
      openWarehouse({ url: DATABASE_URL }),
      openWarehouse({ url: DATABASE_URL }),
    ]);
    try {
      await t.wh.query(`create table ${qualify(t.schema, 'race_orders')} (id int)`);
      const p1 = await project(w1, t.schema, stateSchema);
      const p2 = await project(w2, t.schema, stateSchema);
      const rename = (x: typeof p1) => {
        x.manifest.sources.get('source.proj.raw.orders')!.identifier = 'race_orders';
        return x;
      };
      rename(p1);
      rename(p2);
      await p1.store.installChangeTrigger(t.schema, 'race_orders');
      const runs1: FakeRun[] = [];
      const runs2: FakeRun[] = [];
      const f1 = await freshnessOn(w1, p1.store, p1.manifest, runs1);
      const f2 = await freshnessOn(w2, p2.store, p2.manifest, runs2);

      for (const round of [1, 2]) {
        if (round === 2) await t.wh.query(`insert into ${qualify(t.schema, 'race_orders')} values (1)`);
        // Both plan first, so both see the target stale before either refreshes.
        const [plan1, plan2] = await Promise.all([f1.planNow(m('mart')), f2.planNow(m('mart'))]);
        expect([plan1.fresh, plan2.fresh]).toEqual([false, false]);
        const reports = await Promise.all([
          ...Array.from({ length: 50 }, () => f1.refresh(m('mart'), plan1)),
          ...Array.from({ length: 50 }, () => f2.refresh(m('mart'), plan2)),
        ]);
        expect(runs1.length + runs2.length).toBe(round);
        const kinds = [...new Set(reports.map((r) => r.skipped ?? r.kind))].sort();
        expect(kinds).toEqual(['FULL', 'refreshed_elsewhere']);
        expect((await f1.planNow(m('mart'))).fresh).toBe(true);
        expect((await f2.planNow(m('mart'))).fresh).toBe(true);
      }
    } finally {
      await t.wh.query(`drop schema if exists ${quoteIdent(stateSchema)} cascade`);
      await Promise.all([w1.close(), w2.close()]);
    }
  });
});
