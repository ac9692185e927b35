/**
 * Snapshots on a real database (PGlite, or Postgres with DATABASE_URL): each change detector makes
 * a model stale when its source changes; a snapshot costs a constant number of queries; the
 * interval cache serves a burst from one check.
 */
import { MartqlError } from '../../src/errors';
import {
  createSnapshotReader,
  planInputs,
  planRefresh,
  readSnapshot,
  upstreamVersionsFor,
  versionInputs,
  withBuilt,
  type Snapshot,
} from '../../src/freshness';
import type { Manifest } from '../../src/graph/types';
import { openStateStore, type StateStore } from '../../src/state';
import { qualify, quoteIdent, type Warehouse } from '../../src/warehouse';
import { node, source } from '../graph/helpers';
import { openTestWarehouse, uniqueSchemaName, type TestWarehouse } from '../helpers/warehouse';
import { m, manifestOf, src } from './helpers';

/** The warehouse with a counter of the statements sent through it. */
function counting(wh: Warehouse): { wh: Warehouse; count: () => number; reset: () => void } {
  let n = 0;
  const proxy = new Proxy(wh, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, params?: unknown[]) => {
          n++;
          return target.query(sql, params);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { wh: proxy, count: () => n, reset: () => (n = 0) };
}

let t: TestWarehouse;
let stateSchema: string;
let store: StateStore;
let counter: ReturnType<typeof counting>;
let manifest: Manifest;
let table: (name: string) => string;

beforeAll(async () => {
  t = await openTestWarehouse();
  counter = counting(t.wh);
  stateSchema = uniqueSchemaName('state');
  store = await openStateStore(counter.wh, { schema: stateSchema });
  table = (name) => qualify(t.schema, name);
  for (const name of ['orders', 'events', 'customers', 'plain'])
    await t.wh.query(`create table ${table(name)} (id int, loaded_at timestamptz)`);
  await store.installChangeTrigger(t.schema, 'orders');
  const at = { schema: t.schema };
  manifest = manifestOf(
    [
      node({ name: 'stg_orders', sources: ['shop.orders'], config: { materialized: 'table' } }),
      node({ name: 'stg_events', sources: ['shop.events'], config: { materialized: 'table' } }),
      node({ name: 'stg_customers', sources: ['shop.customers'], config: { materialized: 'table' } }),
      node({ name: 'stg_plain', sources: ['shop.plain'], config: { materialized: 'view' } }),
      node({
        name: 'mart',
        refs: ['stg_orders', 'stg_events', 'stg_customers', 'stg_plain'],
        config: { materialized: 'table' },
      }),
    ],
    [
      // A trigger counts orders even though it also has a loaded_at_field: the trigger wins.
      source('shop', 'orders', { ...at, loadedAtField: 'loaded_at' }),
      source('shop', 'events', { ...at, loadedAtField: 'loaded_at' }),
      source('shop', 'customers', {
        ...at,
        config: { refresh_key: `select count(*), max(id) from ${table('customers')};` },
      }),
      source('shop', 'plain', at),
    ],
  );
});
afterAll(async () => {
  await t?.wh.query(`drop schema if exists ${quoteIdent(stateSchema)} cascade`);
  await t?.cleanup();
});

/** Builds every model now, recording upstream versions as the runner contract says. */
async function buildAll(): Promise<void> {
  let snap = await readSnapshot(store, t.wh, manifest, versionInputs(manifest, manifest.nodes.keys()));
  for (const id of ['stg_orders', 'stg_events', 'stg_customers', 'stg_plain', 'mart'].map(m)) {
    const builtAt = new Date();
    const upstreamVersions = upstreamVersionsFor(manifest, id, snap);
    await store.upsertModelState({
      status: 'success',
      uniqueId: id,
      resourceType: 'model',
      relation: null,
      materialization: String(manifest.nodes.get(id)!.config.materialized),
      sqlHash: `sql-${id}`,
      configHash: 'c',
      builtAt,
      upstreamVersions,
      durationMs: 1,
      invocationId: 'inv',
    });
    snap = withBuilt(snap, id, { builtAt, sqlHash: `sql-${id}` });
  }
}

async function planMart() {
  const snap = await readSnapshot(store, t.wh, manifest, planInputs(manifest, m('mart')));
  return planRefresh(manifest, m('mart'), snap);
}

const firstReasons = async () => {
  const plan = await planMart();
  return { order: plan.order.map((id) => id.split('.').pop()), first: plan.stale[0]?.changedParents };
};

describe('readSnapshot on a real database', () => {
  it('reads each source by its best detector', async () => {
    await buildAll();
    const snap = await readSnapshot(store, t.wh, manifest, planInputs(manifest, m('mart')));
    expect(Object.fromEntries([...snap.sources].map(([id, r]) => [id.split('.').pop(), r]))).toEqual({
      orders: { tracking: 'trigger', value: 0 },
      events: { tracking: 'loaded_at', value: null },
      customers: { tracking: 'refresh_key', value: '(0,)' },
      plain: { tracking: 'untracked', value: null },
    });
    expect([...snap.models.keys()].sort()).toEqual([...manifest.nodes.keys()].sort());
    const plan = await planMart();
    expect(plan.fresh).toBe(true);
    expect(plan.untracked).toEqual([src('shop', 'plain')]);
  });

  it('a trigger bump makes the model stale', async () => {
    await buildAll();
    await t.wh.query(`insert into ${table('orders')} values (1, now())`);
    expect(await firstReasons()).toEqual({ order: ['stg_orders', 'mart'], first: [src('shop', 'orders')] });
  });

  it('an advancing loaded_at_field makes the model stale; rows at the same watermark do not', async () => {
    await t.wh.query(`insert into ${table('events')} values (1, '2024-05-01T00:00:00Z')`);
    await buildAll();
    await t.wh.query(`insert into ${table('events')} values (2, '2024-05-01T00:00:00Z')`);
    expect((await planMart()).fresh).toBe(true);
    await t.wh.query(`insert into ${table('events')} values (3, '2024-05-02T00:00:00Z')`);
    expect(await firstReasons()).toEqual({ order: ['stg_events', 'mart'], first: [src('shop', 'events')] });
  });

  it('a changing refresh_key result makes the model stale', async () => {
    await buildAll();
    await t.wh.query(`insert into ${table('customers')} values (7, null)`);
    expect(await firstReasons()).toEqual({
      order: ['stg_customers', 'mart'],
      first: [src('shop', 'customers')],
    });
  });

  it('uses at most three queries, however many nodes and sources', async () => {
    const ids = planInputs(manifest, m('mart'));
    counter.reset();
    await readSnapshot(store, counter.wh, manifest, ids);
    expect(counter.count()).toBe(3);

    const big = manifestOf(
      Array.from({ length: 200 }, (_, i) =>
        node({ name: `n${i}`, sources: [`shop.s${i % 40}`], config: { materialized: 'table' } }),
      ),
      Array.from({ length: 40 }, (_, i) =>
        source('shop', `s${i}`, {
          schema: t.schema,
          identifier: ['orders', 'events', 'customers', 'plain'][i % 4],
          ...(i % 4 === 1 ? { loadedAtField: 'loaded_at' } : {}),
          ...(i % 4 === 2 ? { config: { refresh_key: `select count(*) from ${table('customers')}` } } : {}),
        }),
      ),
    );
    counter.reset();
    const snap = await readSnapshot(store, counter.wh, big, [...big.nodes.keys(), ...big.sources.keys()]);
    expect(counter.count()).toBe(3);
    expect(snap.sources.size).toBe(40);

    counter.reset();
    await readSnapshot(store, counter.wh, manifest, [m('stg_orders'), src('shop', 'orders')]);
    expect(counter.count()).toBe(2); // nothing to probe
  });

  it('names the sources when a refresh_key query fails', async () => {
    const broken = manifestOf(
      [node({ name: 'x', sources: ['shop.bad'] })],
      [
        source('shop', 'bad', {
          schema: t.schema,
          identifier: 'plain',
          config: { refresh_key: 'select nope' },
        }),
      ],
    );
    const err = await readSnapshot(store, t.wh, broken, [src('shop', 'bad')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).message).toContain('source.proj.shop.bad');
  });
});

describe('createSnapshotReader', () => {
  it('serves a burst from one check, and checks again after the interval', async () => {
    let clock = 1_000_000;
    let reads = 0;
    const reader = createSnapshotReader({
      store,
      warehouse: counter.wh,
      manifest,
      intervalMs: 1000,
      now: () => clock,
      read: (...args) => {
        reads++;
        return readSnapshot(...args);
      },
    });
    const ids = planInputs(manifest, m('mart'));
    counter.reset();
    const burst = await Promise.all(Array.from({ length: 100 }, () => reader.read(ids)));
    expect(reads).toBe(1);
    expect(counter.count()).toBe(3);
    expect(new Set(burst).size).toBe(1);

    clock += 999;
    await reader.read([...ids].reverse()); // the same set in another order
    expect(reads).toBe(1);

    clock += 1;
    await Promise.all([reader.read(ids), reader.read(ids)]);
    expect(reads).toBe(2);

    await reader.readFresh(ids);
    expect(reads).toBe(3);
    await reader.read(ids);
    expect(reads).toBe(3); // readFresh refilled the cache

    reader.invalidate();
    await reader.read(ids);
    expect(reads).toBe(4);
  });

  it('shares a failure with the burst and tries again on the next read', async () => {
    let calls = 0;
    const reader = createSnapshotReader({
      store,
      warehouse: t.wh,
      manifest,
      read: async () => {
        calls++;
        if (calls === 1) throw new Error('down');
        return { takenAt: 0, models: new Map(), sources: new Map() } satisfies Snapshot;
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => reader.read(['x'])));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
    await expect(reader.read(['x'])).resolves.toMatchObject({ takenAt: 0 });
  });
});
