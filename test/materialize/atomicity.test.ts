/**
 * Atomic rebuilds: readers see the old relation or the complete new one; a failed build leaves the
 * old relation readable, unchanged, with its dependent views; nothing named __dbt_tmp/__dbt_backup
 * is left behind either way.
 */
import { qualify } from '../../src/warehouse';
import { DATABASE_URL, describePostgres, openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, count, failure, multiset, relations } from './helpers';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
});
afterAll(() => t?.cleanup());

const q = (name: string) => qualify(t.schema, name);
const leftovers = async () => (await relations(t.wh, t.schema)).filter((r) => /__dbt_(tmp|backup)/.test(r));

describe('table rebuilds and dependent views', () => {
  it('dependent views (and views on them) answer with the new data after a rebuild', async () => {
    await build(t.wh, t.schema, {
      name: 'orders',
      materialized: 'table',
      sql: `select 1 as id, 10 as amount`,
    });
    await t.wh.query(`create view ${q('orders_v')} as select id, amount from ${q('orders')}`);
    await t.wh.query(
      `create view ${q('orders_total')} as select sum(amount)::int as total from ${q('orders_v')}`,
    );
    await t.wh.query(
      `create materialized view ${q('orders_mv')} as select count(*)::int as n from ${q('orders')}`,
    );
    await t.wh.query(`create index orders_mv_n on ${q('orders_mv')} (n)`);
    await t.wh.query(`comment on view ${q('orders_v')} is 'orders, by id'`);
    await t.wh.query(`grant select on ${q('orders_v')} to public`);

    const result = await build(t.wh, t.schema, {
      name: 'orders',
      materialized: 'table',
      sql: `select 2 as id, 20 as amount, 'x' as extra union all select 3, 30, 'y'`,
    });
    expect(result.rowsAffected).toBe(2);
    expect(await multiset(t.wh, t.schema, 'orders_v')).toEqual([
      '{"id":2,"amount":20}',
      '{"id":3,"amount":30}',
    ]);
    expect(await multiset(t.wh, t.schema, 'orders_total')).toEqual(['{"total":50}']);
    expect(await multiset(t.wh, t.schema, 'orders_mv')).toEqual(['{"n":2}']);
    const comment = await t.wh.query<{ c: string }>(`select obj_description($1::regclass, 'pg_class') as c`, [
      `${q('orders_v')}`,
    ]);
    expect(comment.rows[0].c).toBe('orders, by id');
    const index = await t.wh.query(
      `select 1 from pg_indexes where schemaname = $1 and indexname = 'orders_mv_n'`,
      [t.schema],
    );
    expect(index.rows).toHaveLength(1);
    const acl = await t.wh.query<{ acl: string }>(
      `select relacl::text as acl from pg_class where oid = $1::regclass`,
      [q('orders_v')],
    );
    expect(acl.rows[0].acl).toMatch(/[{,]=r\//);
    expect(await leftovers()).toEqual([]);
  });

  it('a model whose new SQL fails leaves the previous table and its views as they were', async () => {
    await build(t.wh, t.schema, {
      name: 'stable',
      materialized: 'table',
      sql: `select g as id from generate_series(1, 5) g`,
    });
    await t.wh.query(`create view ${q('stable_v')} as select count(*)::int as n from ${q('stable')}`);
    await expect(
      build(t.wh, t.schema, { name: 'stable', materialized: 'table', sql: `select 1/0 as id` }),
    ).rejects.toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/division by zero/) });
    expect(await count(t.wh, t.schema, 'stable')).toBe(5);
    expect(await multiset(t.wh, t.schema, 'stable_v')).toEqual(['{"n":5}']);
    expect(await leftovers()).toEqual([]);
  });

  it('fails the build, keeping everything, when a dependent view no longer fits the new table', async () => {
    await build(t.wh, t.schema, { name: 'wide', materialized: 'table', sql: `select 1 as id, 'a' as label` });
    await t.wh.query(`create view ${q('wide_labels')} as select label from ${q('wide')}`);
    const err = await failure(
      build(t.wh, t.schema, {
        name: 'wide',
        materialized: 'table',
        sql: `select 2 as id`,
      }),
    );
    expect(err).toMatchObject({
      code: 'DATABASE',
      message: expect.stringMatching(/wide_labels.*does not fit/),
    });
    expect(await multiset(t.wh, t.schema, 'wide')).toEqual(['{"id":1,"label":"a"}']);
    expect(await multiset(t.wh, t.schema, 'wide_labels')).toEqual(['{"label":"a"}']);
    expect(await leftovers()).toEqual([]);
  });

  it('removes the leftovers of a crashed build before building', async () => {
    await t.wh.query(`create table ${q('crashy__dbt_tmp')} (x int)`);
    await t.wh.query(`create view ${q('crashy__dbt_backup')} as select 1 as x`);
    await build(t.wh, t.schema, { name: 'crashy', materialized: 'table', sql: `select 1 as id` });
    await build(t.wh, t.schema, { name: 'crashy', materialized: 'table', sql: `select 2 as id` });
    expect(await multiset(t.wh, t.schema, 'crashy')).toEqual(['{"id":2}']);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps long model names apart (63-byte identifiers)', async () => {
    const long = 'm'.repeat(60);
    await build(t.wh, t.schema, { name: long, materialized: 'table', sql: `select 1 as id` });
    await build(t.wh, t.schema, { name: long, materialized: 'table', sql: `select 2 as id` });
    expect(await multiset(t.wh, t.schema, long)).toEqual(['{"id":2}']);
    expect(await leftovers()).toEqual([]);
  });

  it('a read issued during a rebuild sees the whole old or the whole new table', async () => {
    await build(t.wh, t.schema, {
      name: 'busy',
      materialized: 'table',
      sql: `select g as id from generate_series(1, 1000) g`,
    });
    const rebuilding = build(t.wh, t.schema, {
      name: 'busy',
      materialized: 'table',
      sql: `select g as id from generate_series(1, 1000) g, pg_sleep(0.3)`,
    });
    const n = await count(t.wh, t.schema, 'busy');
    await rebuilding;
    expect(n).toBe(1000);
  });
});

describePostgres('a concurrent reader on a second connection (Postgres)', () => {
  it('never sees an empty or missing table, nor a broken dependent view, during rebuilds', async () => {
    expect(DATABASE_URL).toBeDefined();
    const rows = 20000;
    const sql = (v: number) =>
      `select g as id, ${v} as version from generate_series(1, ${rows}) g, pg_sleep(0.15)`;
    await build(t.wh, t.schema, { name: 'hot', materialized: 'table', sql: sql(0) });
    await t.wh.query(`create view ${q('hot_v')} as select id, version from ${q('hot')}`);
    let stop = false;
    const seen: { table: number; view: number; version: number }[] = [];
    const errors: unknown[] = [];
    const reader = (async () => {
      while (!stop) {
        try {
          const r = await t.wh.query<{ table: number; view: number; version: number }>(
            `select (select count(*)::int from ${q('hot')}) as table,
                    (select count(*)::int from ${q('hot_v')}) as view,
                    (select max(version) from ${q('hot')}) as version`,
          );
          seen.push(r.rows[0]);
        } catch (err) {
          errors.push(err);
        }
      }
    })();
    for (let v = 1; v <= 4; v++)
      await build(t.wh, t.schema, { name: 'hot', materialized: 'table', sql: sql(v) });
    stop = true;
    await reader;
    expect(errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every((s) => s.table === rows && s.view === rows)).toBe(true);
    expect(new Set(seen.map((s) => s.version)).size).toBeGreaterThan(1);
    expect(await multiset(t.wh, t.schema, 'hot_v', 'distinct version')).toEqual(['{"version":4}']);
  });
});
