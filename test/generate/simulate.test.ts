import { MartqlError } from '../../src/errors';
import { generate, RAW_TABLES, simulate } from '../../src/generate';
import { qualify } from '../../src/warehouse';
import { count, type GeneratorTestWarehouse, openGeneratorWarehouse, tableHash } from './helpers';

let t: GeneratorTestWarehouse;
beforeAll(async () => {
  t = await openGeneratorWarehouse();
});
afterAll(async () => {
  await t?.cleanup();
});

const base = { customers: 2000, days: 180, seed: 31 };

const tableCounts = async (schema: string) => {
  const out: Record<string, number> = {};
  for (const table of RAW_TABLES)
    out[table] = await count(t.wh, `select count(*) as n from ${qualify(schema, table)}`);
  return out;
};

/** A table's rows without ids, sorted: what two ways of loading the same arrivals must agree on. */
async function content(schema: string, table: string, columns: string): Promise<string[]> {
  const result = await t.wh.query(`select ${columns} from ${qualify(schema, table)}`);
  return result.rows.map((r) => JSON.stringify(Object.values(r))).sort();
}

describe('simulate', () => {
  it('appends the next days: new customers and activity, late touchpoints, updated orders', async () => {
    const schema = t.schema;
    const g = await generate(t.wh, { ...base, schema });
    const before = await tableCounts(schema);
    const ordersBefore = await t.wh.query(
      `select order_id, status, revenue, updated_at, _loaded_at from ${qualify(schema, 'orders')} order by order_id`,
    );
    const s = await simulate(t.wh, { schema, days: 2 });
    expect(s.from).toEqual(g.endDate);
    expect(s.to.getTime() - s.from.getTime()).toBe(2 * 86_400_000);
    const after = await tableCounts(schema);
    for (const table of RAW_TABLES) {
      expect(s.rows[table]).toBeGreaterThan(0);
      expect(after[table]).toBe(before[table] + s.rows[table]);
    }
    const q = (table: string) => qualify(schema, table);
    // Appended rows arrived in the window; ids continue after the previous maxima.
    expect(
      await count(t.wh, `select count(*) as n from ${q('touchpoints')} where _loaded_at >= $1`, [s.from]),
    ).toBe(s.rows.touchpoints);
    expect(
      await count(
        t.wh,
        `select count(*) as n from ${q('touchpoints')} where _loaded_at >= $1 and touchpoint_id <= $2`,
        [s.from, before.touchpoints],
      ),
    ).toBe(0);
    // Late touchpoints: happened before rows already loaded (here: before an order loaded earlier), arrived now.
    expect(s.lateTouchpoints).toBeGreaterThan(0);
    const lateBeforeLoadedOrder = await count(
      t.wh,
      `select count(*) as n from ${q('touchpoints')} tp
        where tp._loaded_at >= $1 and exists (
          select 1 from ${q('orders')} o where o.customer_id = tp.customer_id
             and o.ordered_at > tp.touched_at and o.order_id <= $2)`,
      [s.from, before.orders],
    );
    expect(lateBeforeLoadedOrder).toBeGreaterThan(0);
    // Updated orders: existing rows changed status and revenue, with updated_at/_loaded_at bumped.
    expect(s.updatedOrders).toBeGreaterThan(0);
    const changed = await t.wh.query<{
      order_id: number;
      status: string;
      revenue: string;
      updated_at: string;
    }>(
      `select order_id, status, revenue, updated_at, _loaded_at from ${q('orders')}
        where order_id <= $1 and _loaded_at >= $2 order by order_id`,
      [before.orders, s.from],
    );
    expect(changed.rows.length).toBe(s.updatedOrders);
    for (const row of changed.rows) {
      const old = ordersBefore.rows[row.order_id - 1];
      expect(old.status).toBe('completed');
      expect(['refunded', 'partially_refunded']).toContain(row.status);
      expect(Number(row.revenue)).toBeLessThan(Number(old.revenue));
      expect(row.updated_at > (old.updated_at as string)).toBe(true);
    }
    // Integrity still holds.
    const orphans = await count(
      t.wh,
      `select count(*) as n from ${q('touchpoints')} x where not exists (select 1 from ${q('customers')} c where c.customer_id = x.customer_id)`,
    );
    expect(orphans).toBe(0);
    const horizon = await count(
      t.wh,
      `select value as n from ${q('generator_params')} where model = 'generator' and parameter = 'horizon_epoch'`,
    );
    expect(horizon).toBe(s.to.getTime() / 1000);
  });

  it('is deterministic, and two one-day steps load what one two-day step loads', async () => {
    const a = await t.extraSchema('sa');
    const b = await t.extraSchema('sb');
    const c = await t.extraSchema('sc');
    for (const schema of [a, b, c]) await generate(t.wh, { ...base, customers: 800, days: 90, schema });
    await simulate(t.wh, { schema: a, days: 1 });
    await simulate(t.wh, { schema: a, days: 1 });
    await simulate(t.wh, { schema: b, days: 1 });
    await simulate(t.wh, { schema: b, days: 1 });
    for (const table of [...RAW_TABLES, 'generator_params']) {
      expect(await tableHash(t.wh, b, table)).toBe(await tableHash(t.wh, a, table));
    }
    await simulate(t.wh, { schema: c, days: 2 });
    const columns: Record<string, string> = {
      customers: '*',
      orders: 'customer_id, ordered_at, revenue, status, updated_at, _loaded_at',
      touchpoints: 'customer_id, touched_at, channel, campaign, _loaded_at',
      product_usage: 'customer_id, used_at, feature, _loaded_at',
    };
    for (const table of RAW_TABLES) {
      expect(await content(c, table, columns[table])).toEqual(await content(a, table, columns[table]));
    }
  });

  it('advances to `now` when given, and refuses a clock going backwards or a missing state', async () => {
    const schema = await t.extraSchema('now');
    const g = await generate(t.wh, { customers: 50, days: 10, seed: 4, schema });
    const now = new Date(g.endDate.getTime() + 6 * 3600 * 1000);
    const s = await simulate(t.wh, { schema, now });
    expect(s.to).toEqual(now);
    await expect(simulate(t.wh, { schema, now: g.endDate })).rejects.toThrow(/must be after/);
    const empty = await t.extraSchema('empty');
    const err = await simulate(t.wh, { schema: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).hint).toMatch(/martql generate/);
  });
});
