import { MartqlError } from '../../src/errors';
import { generate, RAW_TABLES } from '../../src/generate';
import { qualify } from '../../src/warehouse';
import { count, type GeneratorTestWarehouse, openGeneratorWarehouse, tableHashes } from './helpers';

let t: GeneratorTestWarehouse;
beforeAll(async () => {
  t = await openGeneratorWarehouse();
});
afterAll(async () => {
  await t?.cleanup();
});

const hashes = (schema: string) => tableHashes(t.wh, schema);

describe('generate', () => {
  it('is deterministic: the same seed and options give identical tables, another seed different ones', async () => {
    const options = { customers: 300, days: 60, seed: 7 };
    const a = await generate(t.wh, { ...options, schema: t.schema });
    const b = await generate(t.wh, { ...options, schema: await t.extraSchema('b') });
    const c = await generate(t.wh, { ...options, seed: 8, schema: await t.extraSchema('c') });
    expect(b.rows).toEqual(a.rows);
    const [ha, hb, hc] = [await hashes(a.schema), await hashes(b.schema), await hashes(c.schema)];
    expect(hb).toEqual(ha);
    for (const table of RAW_TABLES) expect(hc[table]).not.toEqual(ha[table]);
  });

  it('gives the same bytes on PGlite and Postgres (a golden hash, checked on whichever database runs)', async () => {
    const schema = await t.extraSchema('golden');
    await generate(t.wh, { customers: 50, days: 30, seed: 123, schema });
    const joined = Object.values(await hashes(schema)).join(' ');
    // Regenerate when the generator changes on purpose (and bump GENERATOR_VERSION).
    expect(joined).toMatchSnapshot();
  });

  it('scales row counts with customers and days, with the summary matching the tables', async () => {
    const small = await generate(t.wh, {
      customers: 200,
      days: 90,
      seed: 1,
      schema: await t.extraSchema('s'),
    });
    const more = await generate(t.wh, {
      customers: 800,
      days: 90,
      seed: 1,
      schema: await t.extraSchema('m'),
    });
    const longer = await generate(t.wh, {
      customers: 200,
      days: 360,
      seed: 1,
      schema: await t.extraSchema('l'),
    });
    expect(small.rows.customers).toBe(200);
    expect(more.rows.customers).toBe(800);
    for (const table of ['orders', 'touchpoints', 'product_usage'] as const) {
      expect(more.rows[table]).toBeGreaterThan(2.5 * small.rows[table]);
      expect(more.rows[table]).toBeLessThan(6 * small.rows[table]);
      // The same customers spread over four times as long: each has more time to act.
      expect(longer.rows[table]).toBeGreaterThan(1.2 * small.rows[table]);
    }
    for (const table of RAW_TABLES) {
      expect(await count(t.wh, `select count(*) as n from ${qualify(more.schema, table)}`)).toBe(
        more.rows[table],
      );
    }
    expect(longer.endDate.getTime() - longer.startDate.getTime()).toBe(360 * 86_400_000);
  });

  it('keeps referential integrity, keys, channels and time order', async () => {
    const s = await generate(t.wh, { customers: 500, days: 120, seed: 3, schema: await t.extraSchema('ri') });
    const q = (table: string) => qualify(s.schema, table);
    for (const [table, column] of [
      ['touchpoints', 'customer_id'],
      ['orders', 'customer_id'],
      ['product_usage', 'customer_id'],
    ]) {
      const orphans = await count(
        t.wh,
        `select count(*) as n from ${q(table)} x where not exists (select 1 from ${q('customers')} c where c.customer_id = x.${column})`,
      );
      expect(orphans).toBe(0);
    }
    for (const [table, id] of [
      ['customers', 'customer_id'],
      ['orders', 'order_id'],
      ['touchpoints', 'touchpoint_id'],
      ['product_usage', 'event_id'],
    ]) {
      const dupes = await count(t.wh, `select count(*) - count(distinct ${id}) as n from ${q(table)}`);
      expect(dupes).toBe(0);
    }
    const channels = await t.wh.query<{ channel: string }>(
      `select distinct channel from ${q('touchpoints')} order by 1`,
    );
    expect(channels.rows.map((r) => r.channel)).toEqual(
      ['direct', 'display', 'email', 'organic_search', 'paid_search', 'referral', 'social'].sort(),
    );
    // Nothing happens before signup or arrives before it happens; everything arrived before the end.
    const end = s.endDate;
    for (const [table, at] of [
      ['touchpoints', 'touched_at'],
      ['orders', 'ordered_at'],
      ['product_usage', 'used_at'],
    ]) {
      const bad = await count(
        t.wh,
        `select count(*) as n from ${q(table)} x join ${q('customers')} c using (customer_id)
          where x.${at} < c.signup_at or x._loaded_at < x.${at} or x._loaded_at >= $1`,
        [end],
      );
      expect(bad).toBe(0);
    }
    // Every order has touchpoints before it (mostly within the 30-day window).
    const unattributed = await count(
      t.wh,
      `select count(*) as n from ${q('orders')} o where not exists (
         select 1 from ${q('touchpoints')} tp where tp.customer_id = o.customer_id
            and tp.touched_at < o.ordered_at and tp.touched_at >= o.ordered_at - interval '30 days')`,
    );
    expect(unattributed).toBeLessThan(0.05 * s.rows.orders);
    // Non-converting paths: customers with touchpoints and no order.
    const nonConverting = await count(
      t.wh,
      `select count(distinct customer_id) as n from ${q('touchpoints')} tp
        where not exists (select 1 from ${q('orders')} o where o.customer_id = tp.customer_id)`,
    );
    expect(nonConverting).toBeGreaterThan(0.2 * s.customers);
    // Updated orders exist in the initial load too (refunds that arrived before the end).
    expect(
      await count(t.wh, `select count(*) as n from ${q('orders')} where status <> 'completed'`),
    ).toBeGreaterThan(0);
  });

  it('records the true parameters and returns them', async () => {
    const s = await generate(t.wh, {
      customers: 20,
      days: 10,
      seed: 5,
      schema: await t.extraSchema('p'),
      params: { bgnbd: { r: 1.5 }, gammaGamma: { gamma: 30 } },
    });
    expect(s.params.bgnbd).toEqual({ r: 1.5, alpha: 60, a: 0.8, b: 2.5 });
    const rows = await t.wh.query<{ model: string; parameter: string; value: number }>(
      `select model, parameter, value from ${qualify(s.schema, 'generator_params')}`,
    );
    const get = (model: string, parameter: string) =>
      rows.rows.find((r) => r.model === model && r.parameter === parameter)?.value;
    expect(get('bgnbd', 'r')).toBe(1.5);
    expect(get('bgnbd', 'alpha')).toBe(60);
    expect(get('gamma_gamma', 'gamma')).toBe(30);
    expect(get('gamma_gamma', 'p')).toBe(6);
    expect(get('generator', 'seed')).toBe(5);
  });

  it('replaces the tables atomically: a run that fails midway leaves the previous data', async () => {
    const schema = await t.extraSchema('atomic');
    await generate(t.wh, { customers: 100, days: 30, seed: 11, schema });
    const before = await hashes(schema);
    const failing = generate(t.wh, {
      customers: 400,
      days: 30,
      seed: 12,
      schema,
      onProgress: (e) => {
        if (e.table === 'touchpoints' && e.done >= 200) throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await hashes(schema)).toEqual(before);
    // And a successful rerun replaces everything.
    await generate(t.wh, { customers: 150, days: 30, seed: 11, schema });
    expect(await count(t.wh, `select count(*) as n from ${qualify(schema, 'customers')}`)).toBe(150);
  });

  it('rejects bad options with a MartqlError', async () => {
    await expect(generate(t.wh, { customers: 0, days: 10, seed: 1, schema: t.schema })).rejects.toThrow(
      MartqlError,
    );
    await expect(generate(t.wh, { customers: 10, days: 1.5, seed: 1, schema: t.schema })).rejects.toThrow(
      /days must be a whole number/,
    );
    await expect(
      generate(t.wh, { customers: 10, days: 10, seed: 1, schema: t.schema, params: { bgnbd: { r: -1 } } }),
    ).rejects.toThrow(/positive/);
  });
});
