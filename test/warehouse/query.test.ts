import { MartqlError } from '../../src/errors';
import { qualify, quoteIdent, quoteLiteral } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
});
afterAll(() => t?.cleanup());

function catchError(fn: () => unknown): MartqlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MartqlError) return err;
    throw err;
  }
  throw new Error('expected a MartqlError');
}

async function catchAsync(promise: Promise<unknown>): Promise<MartqlError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MartqlError) return err;
    throw err;
  }
  throw new Error('expected a MartqlError');
}

describe('query', () => {
  it('binds parameters and decodes types the same on both databases', async () => {
    const { rows, fields, rowCount, command } = await t.wh.query(
      `select $1::int as i, $2::bigint as b, 9007199254740993::bigint as huge, $3::numeric(10,2) as n,
              $4::text as s, $5::bool as ok, $6::date as d, $7::timestamp as ts, $8::timestamptz as tz,
              $9::json as j, 1.5::float8 as f, null::text as nothing`,
      [
        42,
        12345678901n,
        '12.5',
        "it's",
        true,
        '2024-02-29',
        '2024-02-29 13:14:15.123456',
        new Date('2024-01-01T00:00:00Z'),
        JSON.stringify({ a: [1, 'x'] }),
      ],
    );
    expect(command).toBe('SELECT');
    expect(rowCount).toBe(1);
    expect(fields.map((f) => f.name)).toEqual([
      'i',
      'b',
      'huge',
      'n',
      's',
      'ok',
      'd',
      'ts',
      'tz',
      'j',
      'f',
      'nothing',
    ]);
    expect(fields[0].dataTypeID).toBe(23);
    expect(rows[0]).toEqual({
      i: 42,
      b: 12345678901,
      huge: 9007199254740993n,
      n: '12.50',
      s: "it's",
      ok: true,
      d: '2024-02-29',
      ts: '2024-02-29 13:14:15.123456',
      tz: expect.stringMatching(/^20(23-12-31|24-01-01) \d\d:00:00([+-]\d\d)+$/),
      j: { a: [1, 'x'] },
      f: 1.5,
      nothing: null,
    });
  });

  it('counts are numbers and arrays of dates stay text', async () => {
    const { rows } = await t.wh.query(
      `select count(*) as c, array[date '2024-01-01', null] as ds from generate_series(1, 3)`,
    );
    expect(rows[0]).toEqual({ c: 3, ds: ['2024-01-01', null] });
  });

  it('reports rowCount and command for DML', async () => {
    const table = qualify(t.schema, 'dml');
    await t.wh.query(`create table ${table} (id int)`);
    const inserted = await t.wh.query(`insert into ${table} select generate_series(1, 5)`);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 5, rows: [] });
    const deleted = await t.wh.query(`delete from ${table} where id > $1`, [3]);
    expect(deleted).toMatchObject({ command: 'DELETE', rowCount: 2 });
  });

  it('runs synchronous queries', () => {
    const { rows } = t.wh.querySync<{ x: number; y: string }>('select $1::int + 1 as x, $2::text as y', [
      41,
      'sync',
    ]);
    expect(rows).toEqual([{ x: 42, y: 'sync' }]);
    for (let i = 0; i < 50; i++) expect(t.wh.querySync('select $1::int as i', [i]).rows[0].i).toBe(i);
  });

  it('interleaves synchronous and asynchronous queries', async () => {
    const pending = Promise.all([1, 2, 3].map((i) => t.wh.query('select $1::int as i', [i])));
    expect(t.wh.querySync('select 7 as i').rows[0].i).toBe(7);
    expect((await pending).map((r) => r.rows[0].i)).toEqual([1, 2, 3]);
  });

  it('exec runs several statements and returns the last result', async () => {
    const table = qualify(t.schema, 'hooked');
    const result = await t.wh.exec(
      `create table ${table} (v text); insert into ${table} values ('a'), ('b'); select count(*) as n from ${table}`,
    );
    expect(result.rows).toEqual([{ n: 2 }]);
    expect(await t.wh.exec('')).toEqual({ rows: [], fields: [], rowCount: 0, command: '' });
  });

  it('query refuses several statements (extended protocol on both databases)', async () => {
    const err = await catchAsync(t.wh.query('select 1; select 2'));
    expect(err.data?.sqlstate).toBe('42601');
  });
});

describe('errors', () => {
  it('turns an async database error into MartqlError(DATABASE) with its fields', async () => {
    const err = await catchAsync(t.wh.query('select * from no_such_table_xyz'));
    expect(err.code).toBe('DATABASE');
    expect(err.message).toBe('relation "no_such_table_xyz" does not exist');
    expect(err.data).toMatchObject({ sqlstate: '42P01', position: 15, severity: 'ERROR' });
  });

  it('turns a sync database error into MartqlError(DATABASE) too', () => {
    const err = catchError(() => t.wh.querySync('select 1/0'));
    expect(err.code).toBe('DATABASE');
    expect(err.data?.sqlstate).toBe('22012');
    expect(t.wh.querySync('select 1 as ok').rows).toEqual([{ ok: 1 }]);
  });

  it('keeps constraint, table and detail', async () => {
    const table = qualify(t.schema, 'uniq');
    await t.wh.query(`create table ${table} (id int constraint uniq_pk primary key)`);
    await t.wh.query(`insert into ${table} values (1)`);
    const err = await catchAsync(t.wh.query(`insert into ${table} values (1)`));
    expect(err.data).toMatchObject({
      sqlstate: '23505',
      constraint: 'uniq_pk',
      table: 'uniq',
      schema: t.schema,
      detail: 'Key (id)=(1) already exists.',
    });
  });

  it('keeps the hint', async () => {
    const err = await catchAsync(t.wh.query('select pg_catalog.no_such_fn(1::int)'));
    expect(err.data?.sqlstate).toBe('42883');
    expect(err.hint).toMatch(/explicit type casts/);
  });
});

describe('quoting against the database', () => {
  const weird = ['Mixed Case', 'with "quotes"', 'spaces  and.dots', 'select', 'ünïcödé', "it's"];

  it.each(weird)('creates, introspects and reads a table named %j', async (name) => {
    const table = qualify(t.schema, name);
    await t.wh.query(`create table ${table} (${quoteIdent(name)} text)`);
    await t.wh.query(`insert into ${table} values ($1)`, [name]);
    const { rows } = await t.wh.query(`select ${quoteIdent(name)} as v from ${table}`);
    expect(rows).toEqual([{ v: name }]);
    expect(await t.wh.getRelation(t.schema, name)).toEqual({ schema: t.schema, name, type: 'table' });
    expect((await t.wh.getColumns(t.schema, name)).map((c) => c.name)).toEqual([name]);
  });

  it.each(["it's", 'back\\slash', "\\'; drop table x; --", 'new\nline', '\u00e9\u{1f600}', ''])(
    'quoteLiteral(%j) round-trips',
    async (value) => {
      const { rows } = await t.wh.query(`select ${quoteLiteral(value)}::text as v`);
      expect(rows[0].v).toBe(value);
    },
  );
});
