import { MartqlError } from '../../src/errors';
import { materializationFor } from '../../src/materialize';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, count, multiset, relations } from './helpers';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  await t.wh.query(`create table ${qualify(t.schema, 'src')} (id int, name text)`);
  await t.wh.query(`insert into ${qualify(t.schema, 'src')} values (1, 'a'), (2, 'b')`);
});
afterAll(() => t?.cleanup());

const src = () => qualify(t.schema, 'src');

describe('materializationFor', () => {
  it('names the unknown materialization and the known ones', () => {
    const err = (() => {
      try {
        materializationFor('tabel');
      } catch (e) {
        return e as MartqlError;
      }
    })();
    expect(err).toBeInstanceOf(MartqlError);
    expect(err!.code).toBe('PROJECT_CONFIG');
    expect(err!.message).toMatch(/'tabel'.*ephemeral, incremental, table, view/);
    expect(err!.hint).toMatch(/did you mean 'table'/);
  });

  it('builds nothing for ephemeral models', async () => {
    const result = await build(t.wh, t.schema, { name: 'eph', materialized: 'ephemeral', sql: 'select 1' });
    expect(result).toEqual({ kind: 'noop', rowsAffected: null, relationType: 'view', statements: [] });
    expect(await t.wh.getRelation(t.schema, 'eph')).toBeNull();
  });
});

describe('view', () => {
  it('creates and replaces a view; rowsAffected is null', async () => {
    const first = await build(t.wh, t.schema, {
      name: 'v1',
      materialized: 'view',
      sql: `select id from ${src()}`,
    });
    expect(first).toMatchObject({ kind: 'view', rowsAffected: null, relationType: 'view' });
    expect(await count(t.wh, t.schema, 'v1')).toBe(2);
    await build(t.wh, t.schema, {
      name: 'v1',
      materialized: 'view',
      sql: `select id, name from ${src()} where id = 1`,
    });
    expect(await multiset(t.wh, t.schema, 'v1')).toEqual([JSON.stringify({ id: 1, name: 'a' })]);
  });

  it('keeps dependent views when columns change incompatibly', async () => {
    await build(t.wh, t.schema, { name: 'v2', materialized: 'view', sql: `select id, name from ${src()}` });
    await t.wh.query(
      `create view ${qualify(t.schema, 'v2_dep')} as select id from ${qualify(t.schema, 'v2')}`,
    );
    // `name` removed and `id` becomes text: CREATE OR REPLACE cannot do this, so the swap recreates v2_dep.
    await build(t.wh, t.schema, {
      name: 'v2',
      materialized: 'view',
      sql: `select id::text as id from ${src()}`,
    });
    expect(await multiset(t.wh, t.schema, 'v2_dep')).toEqual(['{"id":"1"}', '{"id":"2"}']);
    expect((await relations(t.wh, t.schema)).filter((r) => r.includes('__dbt'))).toEqual([]);
  });

  it('leaves the old view when the new SQL fails', async () => {
    await build(t.wh, t.schema, { name: 'v3', materialized: 'view', sql: `select id from ${src()}` });
    await expect(
      build(t.wh, t.schema, { name: 'v3', materialized: 'view', sql: `select nope from ${src()}` }),
    ).rejects.toMatchObject({ code: 'DATABASE' });
    expect(await count(t.wh, t.schema, 'v3')).toBe(2);
  });
});

describe('table', () => {
  it('builds a table and reports rows', async () => {
    const result = await build(t.wh, t.schema, {
      name: 't1',
      materialized: 'table',
      sql: `select * from ${src()}`,
    });
    expect(result).toMatchObject({ kind: 'table', rowsAffected: 2, relationType: 'table' });
    expect(result.statements.some((s) => /create table/.test(s.sql))).toBe(true);
    expect(await count(t.wh, t.schema, 't1')).toBe(2);
    await build(t.wh, t.schema, {
      name: 't1',
      materialized: 'table',
      sql: `select * from ${src()} where id = 2`,
    });
    expect(await count(t.wh, t.schema, 't1')).toBe(1);
  });

  it('accepts SQL ending in a semicolon or a line comment', async () => {
    await build(t.wh, t.schema, { name: 'semi', materialized: 'table', sql: `select 1 as id;\n` });
    await build(t.wh, t.schema, { name: 'semi_v', materialized: 'view', sql: `select 1 as id -- the id` });
    await build(t.wh, t.schema, { name: 'semi_i', materialized: 'incremental', sql: `select 1 as id -- x` });
    await build(t.wh, t.schema, { name: 'semi_i', materialized: 'incremental', sql: `select 2 as id; ` });
    expect(await count(t.wh, t.schema, 'semi_i')).toBe(2);
  });

  it('switches a model between view and table', async () => {
    await build(t.wh, t.schema, { name: 'sw', materialized: 'view', sql: `select id from ${src()}` });
    await t.wh.query(
      `create view ${qualify(t.schema, 'sw_dep')} as select count(*) as n from ${qualify(t.schema, 'sw')}`,
    );
    await build(t.wh, t.schema, { name: 'sw', materialized: 'table', sql: `select id from ${src()}` });
    expect((await t.wh.getRelation(t.schema, 'sw'))?.type).toBe('table');
    await build(t.wh, t.schema, {
      name: 'sw',
      materialized: 'view',
      sql: `select id from ${src()} where id = 1`,
    });
    expect((await t.wh.getRelation(t.schema, 'sw'))?.type).toBe('view');
    expect(await multiset(t.wh, t.schema, 'sw_dep')).toEqual(['{"n":1}']);
  });

  it('runs hooks in the build transaction', async () => {
    await t.wh.query(`create table ${qualify(t.schema, 'hook_log')} (what text)`);
    const log = qualify(t.schema, 'hook_log');
    await build(t.wh, t.schema, {
      name: 'hooked',
      materialized: 'table',
      sql: `select 1 as id`,
      preHooks: [`insert into ${log} values ('pre')`],
      postHooks: [`insert into ${log} select 'post ' || count(*) from ${qualify(t.schema, 'hooked')}`],
    });
    expect(await multiset(t.wh, t.schema, 'hook_log')).toEqual(['{"what":"post 1"}', '{"what":"pre"}']);
    // A failing post-hook rolls the whole build back, pre-hook included.
    await expect(
      build(t.wh, t.schema, {
        name: 'hooked',
        materialized: 'table',
        sql: `select 1 as id union all select 2`,
        preHooks: [`insert into ${log} values ('pre2')`],
        postHooks: ['select 1/0'],
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await count(t.wh, t.schema, 'hooked')).toBe(1);
    expect(await count(t.wh, t.schema, 'hook_log')).toBe(2);
  });
});
