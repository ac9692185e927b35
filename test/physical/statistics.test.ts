/**
 * ANALYZE after builds: a rebuilt table has planner statistics the moment it is in place (and its
 * row estimate equals its row count), an incremental run that wrote a tenth of the table or more
 * refreshes them, `analyze: false` leaves a table without any, and a run that wrote nothing or
 * little does not analyze.
 */
import { MartqlError } from '../../src/errors';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, failure, type ModelSpec } from '../materialize/helpers';
import { reltuples, statisticsRows } from './catalog';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  await t.wh.query(
    `create table ${qualify(t.schema, 'src')} as select g as id, g % 13 as k from generate_series(1, 3000) g`,
  );
});
afterAll(() => t?.cleanup());

const src = () => qualify(t.schema, 'src');
const analyzes = (r: { statements: { sql: string }[] }) =>
  r.statements.filter((s) => s.sql.startsWith('analyze'));

it('analyzes a rebuilt table before the swap', async () => {
  const result = await build(t.wh, t.schema, {
    name: 'tbl',
    materialized: 'table',
    sql: `select * from ${src()}`,
  });
  expect(analyzes(result)).toHaveLength(1);
  expect(await statisticsRows(t.wh, t.schema, 'tbl')).toBe(2);
  expect(await reltuples(t.wh, t.schema, 'tbl')).toBe(3000);
});

it('leaves the statistics alone with analyze: false', async () => {
  const result = await build(t.wh, t.schema, {
    name: 'no_stats',
    materialized: 'table',
    sql: `select * from ${src()}`,
    config: { analyze: false },
  });
  expect(analyzes(result)).toEqual([]);
  expect(await statisticsRows(t.wh, t.schema, 'no_stats')).toBe(0);
  const err = await failure(
    build(t.wh, t.schema, { name: 'x', materialized: 'table', sql: 'select 1', config: { analyze: 'yes' } }),
  );
  expect(err).toBeInstanceOf(MartqlError);
  expect(err.message).toBe(`${t.schema}.x: analyze must be true or false, not "yes"`);
});

it('refreshes the statistics after an incremental run that wrote rows, not after one that wrote none', async () => {
  let upTo = 1000;
  const spec: ModelSpec = {
    name: 'inc',
    materialized: 'incremental',
    sql: ({ isIncremental }) =>
      isIncremental
        ? `select * from ${src()} where id > (select max(id) from ${qualify(t.schema, 'inc')}) and id <= ${upTo}`
        : `select * from ${src()} where id <= ${upTo}`,
    config: { incremental_strategy: 'append' },
  };
  await build(t.wh, t.schema, spec);
  expect(await reltuples(t.wh, t.schema, 'inc')).toBe(1000);
  upTo = 3000;
  const grown = await build(t.wh, t.schema, spec);
  expect(analyzes(grown)).toHaveLength(1);
  expect(await reltuples(t.wh, t.schema, 'inc')).toBe(3000);
  const idle = await build(t.wh, t.schema, spec);
  expect(idle.rowsAffected).toBe(0);
  expect(analyzes(idle)).toEqual([]);
});

it('leaves a write under a tenth of the table to autovacuum, and analyzes one at a tenth', async () => {
  let upTo = 2000;
  const spec: ModelSpec = {
    name: 'inc_small',
    materialized: 'incremental',
    sql: ({ isIncremental }) =>
      isIncremental
        ? `select * from ${src()} where id > (select max(id) from ${qualify(t.schema, 'inc_small')}) and id <= ${upTo}`
        : `select * from ${src()} where id <= ${upTo}`,
    config: { incremental_strategy: 'append' },
  };
  await build(t.wh, t.schema, spec);
  upTo = 2199; // 199 rows: under 10% of 2,000
  const small = await build(t.wh, t.schema, spec);
  expect(small.rowsAffected).toBe(199);
  expect(analyzes(small)).toEqual([]);
  expect(await reltuples(t.wh, t.schema, 'inc_small')).toBe(2000);
  upTo = 2500; // 301 rows: over 10% of the 2,000 estimated
  const large = await build(t.wh, t.schema, spec);
  expect(analyzes(large)).toHaveLength(1);
  expect(await reltuples(t.wh, t.schema, 'inc_small')).toBe(2500);
});
