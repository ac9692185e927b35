import { checkContract } from '../../src/materialize';
import { parseType, sameBaseType } from '../../src/materialize/data-types';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, column, count, failure, multiset, relations } from './helpers';

describe('type names (pure)', () => {
  it.each([
    ['int', 'integer'],
    ['int4', 'integer'],
    ['INTEGER', 'integer'],
    ['varchar', 'character varying(20)'],
    ['character varying', 'varchar(5)'],
    ['timestamp', 'timestamp without time zone'],
    ['timestamptz', 'timestamp with time zone'],
    ['timestamp(3)', 'timestamp without time zone'],
    ['numeric(10,2)', 'numeric'],
    ['decimal(10, 2)', 'numeric(12,4)'],
    ['float', 'double precision'],
    ['bool', 'boolean'],
    ['int[]', 'integer[]'],
    ['text', 'text'],
  ])('%s matches %s', (a, b) => expect(sameBaseType(a, b)).toBe(true));

  it.each([
    ['int', 'bigint'],
    ['timestamp', 'timestamp with time zone'],
    ['text', 'character varying'],
    ['int[]', 'integer'],
  ])('%s does not match %s', (a, b) => expect(sameBaseType(a, b)).toBe(false));

  it('keeps modifiers', () => {
    expect(parseType('numeric(10, 2)')).toEqual({ base: 'numeric', modifier: '10,2', arrayDims: 0 });
    expect(parseType('timestamp(3) with time zone')).toEqual({
      base: 'timestamp with time zone',
      modifier: '3',
      arrayDims: 0,
    });
  });

  it('lists missing, mistyped and undeclared columns', () => {
    const built = [
      { name: 'id', dataType: 'integer', ordinal: 1, nullable: true },
      { name: 'extra', dataType: 'text', ordinal: 2, nullable: true },
    ];
    expect(checkContract([column('id', 'bigint'), column('gone', 'text')], built)).toEqual([
      { column: 'id', declared: 'bigint', built: 'integer' },
      { column: 'gone', declared: 'text', built: null },
      { column: 'extra', declared: null, built: 'text' },
    ]);
  });
});

describe('contracts on a warehouse', () => {
  let t: TestWarehouse;
  beforeAll(async () => {
    t = await openTestWarehouse();
  });
  afterAll(() => t?.cleanup());
  const enforced = { contract: { enforced: true } };

  it('builds when the columns match and applies declared modifiers and constraints', async () => {
    await build(t.wh, t.schema, {
      name: 'customers',
      materialized: 'table',
      config: enforced,
      sql: `select 1 as id, 'ann'::varchar as name, 12.345 as balance`,
      columns: [
        column('id', 'int', [{ type: 'not_null' }, { type: 'primary_key' }]),
        column('name', 'varchar(20)', [{ type: 'unique' }]),
        column('balance', 'numeric(10,2)', [{ type: 'check', expression: 'balance >= 0' }]),
      ],
    });
    const types = (await t.wh.getColumns(t.schema, 'customers')).map(
      (c) => `${c.name} ${c.dataType} ${c.nullable}`,
    );
    expect(types).toEqual([
      'id integer false',
      'name character varying(20) true',
      'balance numeric(10,2) true',
    ]);
    expect(await multiset(t.wh, t.schema, 'customers')).toEqual(['{"id":1,"name":"ann","balance":"12.35"}']);
  });

  it('rejects a mismatch naming the column, the declared and the built type, before touching the old table', async () => {
    const spec = {
      name: 'typed',
      materialized: 'table',
      config: enforced,
      columns: [column('id', 'integer'), column('amount', 'numeric(10,2)')],
    };
    await build(t.wh, t.schema, { ...spec, sql: `select 1 as id, 2.5 as amount` });
    const err = await failure(
      build(t.wh, t.schema, { ...spec, sql: `select 'x'::text as id, 3.5 as amount` }),
    );
    expect(err).toMatchObject({ code: 'CONTRACT' });
    expect((err as Error).message).toMatch(/column "id": declared integer, built text/);
    expect(await multiset(t.wh, t.schema, 'typed')).toEqual(['{"id":1,"amount":"2.50"}']);
    expect((await relations(t.wh, t.schema)).filter((r) => r.includes('__dbt'))).toEqual([]);
  });

  it('reports missing and undeclared columns', async () => {
    const err = await failure(
      build(t.wh, t.schema, {
        name: 'shape',
        materialized: 'table',
        config: enforced,
        columns: [column('id', 'int'), column('name', 'text')],
        sql: `select 1 as id, 2 as other`,
      }),
    );
    expect(err.message).toMatch(/column "name": declared text, missing from the model's SQL/);
    expect(err.message).toMatch(/column "other": built integer, not declared/);
    expect(await t.wh.getRelation(t.schema, 'shape')).toBeNull();
  });

  it('enforces not_null, primary_key, unique and check constraints, across rebuilds', async () => {
    const spec = {
      name: 'constrained',
      materialized: 'table',
      config: enforced,
      columns: [
        column('id', 'int', [{ type: 'not_null' }, { type: 'primary_key' }]),
        column('code', 'text', [{ type: 'unique' }]),
        column('qty', 'int', [{ type: 'check', expression: 'qty >= 0' }]),
      ],
    };
    await build(t.wh, t.schema, { ...spec, sql: `select 1 as id, 'a' as code, 5 as qty` });
    // Rebuild twice: constraint names must not collide with the old table's.
    await build(t.wh, t.schema, { ...spec, sql: `select 1 as id, 'a' as code, 6 as qty` });
    await build(t.wh, t.schema, {
      ...spec,
      sql: `select 1 as id, 'a' as code, 7 as qty union all select 2, 'b', 0`,
    });
    const constraints = await t.wh.query<{ conname: string; contype: string }>(
      `select conname, contype::text from pg_constraint where conrelid = $1::regclass and contype in ('p','u','c') order by conname`,
      [qualify(t.schema, 'constrained')],
    );
    expect(constraints.rows.map((r) => r.conname)).toEqual([
      'constrained_code_key',
      'constrained_pkey',
      'constrained_qty_check',
    ]);
    for (const bad of [
      `select null::int as id, 'z' as code, 1 as qty`,
      `select 1 as id, 'a' as code, 1 as qty union all select 1, 'b', 1`,
      `select 1 as id, 'a' as code, 1 as qty union all select 2, 'a', 1`,
      `select 1 as id, 'a' as code, -1 as qty`,
    ]) {
      await expect(build(t.wh, t.schema, { ...spec, sql: bad })).rejects.toMatchObject({ code: 'CONTRACT' });
    }
    expect(await count(t.wh, t.schema, 'constrained')).toBe(2);
  });

  it('checks contracts on views and on incremental runs', async () => {
    const cols = [column('id', 'bigint')];
    await expect(
      build(t.wh, t.schema, {
        name: 'cv',
        materialized: 'view',
        config: enforced,
        columns: cols,
        sql: 'select 1 as id',
      }),
    ).rejects.toThrow(/declared bigint, built integer/);
    const inc = { name: 'ci', materialized: 'incremental', config: enforced, columns: cols };
    await build(t.wh, t.schema, { ...inc, sql: 'select 1::bigint as id' });
    await expect(build(t.wh, t.schema, { ...inc, sql: 'select 2 as id' })).rejects.toMatchObject({
      code: 'CONTRACT',
    });
    expect(await multiset(t.wh, t.schema, 'ci')).toEqual(['{"id":1}']);
  });
});
