/**
 * The missing-index check `serve` runs: it reports exactly the filterable/orderable columns that
 * no index leads, on tables at least `minRows` big (by the planner's estimate), including
 * partitioned tables, and skips views, small tables and models not built yet. The oracle is the
 * brute-force answer computed here from the declared indexes.
 */
import { describeMissingIndex, missingIndexWarnings, type IndexableModel } from '../../src/physical';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build } from '../materialize/helpers';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  await t.wh.query(
    `create table ${qualify(t.schema, 'src')} as
     select g as id, g % 10 as a, g % 7 as b, 'c' || (g % 5) as c, date '2024-01-01' + (g % 90) as d
     from generate_series(1, 5000) g`,
  );
  const src = qualify(t.schema, 'src');
  await build(t.wh, t.schema, {
    name: 'big',
    materialized: 'table',
    sql: `select * from ${src}`,
    // a leads an index; b is only second in it; id is unique; d has a partial index (does not count).
    config: {
      indexes: [{ columns: ['a', 'b'] }, { columns: ['id'], unique: true }, { columns: ['c'], type: 'hash' }],
    },
  });
  await t.wh.query(`create index big_d_partial on ${qualify(t.schema, 'big')} (d) where d > '2024-02-01'`);
  await build(t.wh, t.schema, {
    name: 'big_parts',
    materialized: 'table',
    sql: `select * from ${src}`,
    config: { partition_by: { field: 'd', granularity: 'month' }, indexes: [{ columns: ['a'] }] },
  });
  await build(t.wh, t.schema, { name: 'small', materialized: 'table', sql: `select * from ${src} limit 10` });
  await build(t.wh, t.schema, { name: 'a_view', materialized: 'view', sql: `select * from ${src}` });
});
afterAll(() => t?.cleanup());

const COLUMNS = ['id', 'a', 'b', 'c', 'd'];
const entry = (name: string): IndexableModel => ({
  name,
  relation: { schema: t.schema, identifier: name },
  columns: COLUMNS,
});

it('reports the columns no index leads, on big tables only', async () => {
  const models = ['big', 'big_parts', 'small', 'a_view', 'never_built'].map(entry);
  const warnings = await missingIndexWarnings(t.wh, models, { minRows: 1000 });
  expect(warnings).toEqual([
    { model: 'big', column: 'b', rows: 5000 },
    { model: 'big', column: 'd', rows: 5000 },
    { model: 'big_parts', column: 'id', rows: 5000 },
    { model: 'big_parts', column: 'b', rows: 5000 },
    { model: 'big_parts', column: 'c', rows: 5000 },
    { model: 'big_parts', column: 'd', rows: 5000 },
  ]);
  expect(await missingIndexWarnings(t.wh, models, { minRows: 5001 })).toEqual([]);
  expect(await missingIndexWarnings(t.wh, models, { minRows: 0 })).toContainEqual({
    model: 'small',
    column: 'a',
    rows: 10,
  });
  expect(describeMissingIndex(warnings[0])).toBe(
    'big: column "b" can be filtered or ordered by through GraphQL but has no index (~5,000 rows); ' +
      "declare indexes: [{columns: ['b']}] in the model's config",
  );
});

it('stops reporting a column once an index leads with it', async () => {
  await t.wh.query(`create index big_b on ${qualify(t.schema, 'big')} (b, a)`);
  const warnings = await missingIndexWarnings(t.wh, [entry('big')], { minRows: 1000 });
  expect(warnings.map((w) => w.column)).toEqual(['d']);
});

it('skips a table that was never analyzed (no estimate)', async () => {
  await t.wh.query(
    `create table ${qualify(t.schema, 'raw_table')} as select * from ${qualify(t.schema, 'src')}`,
  );
  const { rows } = await t.wh.query<{ n: number }>(
    `select reltuples::float8 as n from pg_class where oid = '${qualify(t.schema, 'raw_table')}'::regclass`,
  );
  // Postgres 14+ marks a table never vacuumed or analyzed with -1; older servers with 0.
  expect(rows[0].n).toBeLessThanOrEqual(0);
  expect(await missingIndexWarnings(t.wh, [entry('raw_table')], { minRows: 1 })).toEqual([]);
});
