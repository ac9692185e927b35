/**
 * Hostile input. Values — quotes, statement terminators, comment markers, backslashes, array and
 * JSON syntax, unicode, huge strings — in every operator are only ever data: they match what the
 * oracle says (the stored hostile rows for eq, nothing for most) and every table is still there.
 * Values that cannot be data (NUL, lone surrogates, oversize) and hostile names anywhere a name is
 * accepted are refused with a QueryError naming the argument, before any SQL exists.
 */
import {
  buildAggregate,
  buildByKey,
  buildCount,
  buildSelect,
  formatPath,
  QueryError,
  type Filter,
} from '../../../src/graphql/query';
import { qualify } from '../../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../../helpers/warehouse';
import { modelFor, seedTable, type Row } from './fixture';
import { escapeLike } from './generators';
import { evaluate } from './oracle';

const HOSTILE = [
  "'",
  "''",
  "'; drop table h; --",
  "x'); drop table h; --",
  "' or '1'='1",
  '"',
  '"; drop table h; --',
  '\\',
  '\\\\',
  "\\'",
  "\\'; drop table h; --",
  '$1',
  '$$; drop table h; $$',
  '/* comment */',
  '--',
  ';',
  '%',
  '_',
  '%\\%',
  'ñandú',
  '日本語',
  '🎉🙂',
  'e\u0301',
  '\u200b',
  '\u202eevil',
  'a\nb\r\nc\t',
  '{"a":1}',
  '{a,b}',
  '{NULL}',
  'NULL',
  'null',
  ' ',
  'x'.repeat(200_000),
];

let t: TestWarehouse;
let rows: Row[];
beforeAll(async () => {
  t = await openTestWarehouse();
  // The hostile values are also stored, so a query for one must return it unchanged.
  const extra = HOSTILE.map((name, i) => ({ id: 10_000 + i, name, n: i }));
  rows = await seedTable(t.wh, t.schema, { table: 'h', seed: 17, count: 100, extra });
});
afterAll(() => t?.cleanup());

const model = () => modelFor(t.schema, 'h');

async function select(where: Filter): Promise<Row[]> {
  const q = buildSelect(model(), { where, columns: ['id', 'name'], limit: 1000, maxLimit: 1000 });
  return (await t.wh.query(q.sql, q.params)).rows;
}

const expected = (where: Filter) =>
  evaluate(rows, { where, limit: 1000 }).map((r) => ({ id: r.id, name: r.name }));
const endsWithEscape = (p: string) => /(^|[^\\])(\\\\)*\\$/.test(p);

describe.each(
  HOSTILE.map((v) => [v.length > 40 ? `${v.slice(0, 10)}… (${v.length} chars)` : JSON.stringify(v), v]),
)('the value %s', (_label, value) => {
  it('is data in eq, ne, in, notIn, lt, lte, gt, gte', async () => {
    const filters: Filter[] = [
      { name: { eq: value } },
      { name: { ne: value } },
      { name: { in: [value, 'beta', 'NULL'] } },
      { name: { notIn: [value] } },
      { name: { lt: value } },
      { name: { lte: value } },
      { name: { gt: value } },
      { name: { gte: value } },
      { or: [{ name: { eq: value } }, { not: { name: { ne: value } } }] },
    ];
    for (const where of filters) expect(await select(where)).toEqual(expected(where));
    const eq = await select({ name: { eq: value } });
    expect(eq.map((r) => r.name)).toContain(value);
    expect(eq.every((r) => r.name === value)).toBe(true);
  });

  it('is a pattern in like and ilike, and a literal once escaped', async () => {
    for (const op of ['like', 'ilike'] as const) {
      if (endsWithEscape(value)) {
        expect(() =>
          buildSelect(model(), { where: { name: { [op]: value } }, limit: 1, maxLimit: 1 }),
        ).toThrow(QueryError);
      } else {
        expect(await select({ name: { [op]: value } })).toEqual(expected({ name: { [op]: value } }));
      }
      const literal = { name: { [op]: escapeLike(value) } };
      const got = await select(literal);
      expect(got).toEqual(expected(literal));
      expect(got.map((r) => r.name)).toContain(value);
    }
  });
});

describe('values that cannot be data are refused with their path', () => {
  const refused = (where: Filter, path: string, limits = {}) => {
    let error: unknown;
    try {
      buildSelect(model(), { where, limit: 1, maxLimit: 1, limits });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).code).toBe('BAD_USER_INPUT');
    expect((error as QueryError).path).toBe(path);
  };

  it('NUL characters and lone surrogates', () => {
    refused({ name: { eq: '\0' } }, 'where.name.eq');
    refused({ name: { in: ['ok', 'a\0b'] } }, 'where.name.in[1]');
    refused({ name: { like: '%\0%' } }, 'where.name.like');
    refused({ or: [{ n: { eq: 1 } }, { name: { ilike: '\ud800' } }] }, 'where.or[1].name.ilike');
    refused({ name: { gt: 'a\udfffb' } }, 'where.name.gt');
  });

  it('strings longer than the bound', () => {
    refused({ name: { eq: 'x'.repeat(1_000_001) } }, 'where.name.eq');
    refused({ name: { eq: 'x'.repeat(11) } }, 'where.name.eq', { maxStringLength: 10 });
  });

  it('SQL in place of numbers, dates, timestamps and booleans', () => {
    refused({ n: { eq: '1 or 1=1' as never } }, 'where.n.eq');
    refused({ n: { in: [1, '2); drop table h; --' as never] } }, 'where.n.in[1]');
    refused({ big: { eq: '1; drop table h' } }, 'where.big.eq');
    refused({ amount: { lt: "1e5'; drop table h; --" } }, 'where.amount.lt');
    refused({ x: { gt: 'NaN' as never } }, 'where.x.gt');
    refused({ d: { eq: "2024-01-01'; drop table h; --" } }, 'where.d.eq');
    refused({ ts: { gte: "2024-01-01 00:00'); drop table h; --" } }, 'where.ts.gte');
    refused({ tstz: { lt: '2024-01-01T00:00:00Z; drop table h' } }, 'where.tstz.lt');
    refused({ flag: { eq: 'true; drop table h' as never } }, 'where.flag.eq');
  });
});

describe('hostile names are refused wherever a name is accepted', () => {
  const NAMES = [
    'name"; drop table h; --',
    '"name"',
    'NAME',
    'name ',
    'h.name',
    '*',
    '1',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'name\0',
  ];

  const pathOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof QueryError) return e.path;
      throw e;
    }
    throw new Error('accepted');
  };

  it.each(NAMES.map((n) => [JSON.stringify(n), n]))('%s', (_label, name) => {
    const m = model();
    // JSON.parse makes `__proto__` an own key, as a GraphQL server's JSON body would.
    const where = JSON.parse(JSON.stringify({ or: [{ n: { eq: 1 } }, { [name]: { eq: 'x' } }] })) as Filter;
    expect(pathOf(() => buildSelect(m, { where, limit: 1, maxLimit: 1 }))).toBe(
      formatPath(['where', 'or', 1, name]),
    );
    expect(pathOf(() => buildCount(m, { where }))).toBe(formatPath(['where', 'or', 1, name]));
    const orderBy = [
      { column: 'id', direction: 'ASC' as const },
      { column: name, direction: 'ASC' as const },
    ];
    expect(pathOf(() => buildSelect(m, { orderBy, limit: 1, maxLimit: 1 }))).toBe('orderBy[1].column');
    expect(pathOf(() => buildSelect(m, { columns: ['id', name], limit: 1, maxLimit: 1 }))).toBe('columns[1]');
    const agg = { groupBy: [] as string[], aggregates: { count: true as const }, limit: 1 };
    expect(pathOf(() => buildAggregate(m, { ...agg, groupBy: [name] }))).toBe('groupBy[0]');
    expect(pathOf(() => buildAggregate(m, { ...agg, aggregates: { sum: ['n', name] } }))).toBe(
      'aggregates.sum[1]',
    );
    expect(pathOf(() => buildAggregate(m, { ...agg, timeGrain: { column: name, grain: 'day' } }))).toBe(
      'timeGrain.column',
    );
    expect(pathOf(() => buildByKey(m, [name], [[1]]))).toBe('keyColumns[0]');
    expect(({} as Record<string, unknown>).eq).toBeUndefined();
  });

  it('hostile operators, directions and null placements', () => {
    const m = model();
    const op = 'eq; drop table h; --';
    expect(
      pathOf(() => buildSelect(m, { where: { name: { [op]: 'x' } } as Filter, limit: 1, maxLimit: 1 })),
    ).toBe(formatPath(['where', 'name', op]));
    for (const [direction, nulls, path] of [
      ['ASC; drop table h; --', undefined, 'orderBy[0].direction'],
      ['asc', undefined, 'orderBy[0].direction'],
      ['ASC', 'LAST; drop table h', 'orderBy[0].nulls'],
    ] as const) {
      const orderBy = [{ column: 'id', direction, nulls }] as never;
      expect(pathOf(() => buildSelect(m, { orderBy, limit: 1, maxLimit: 1 }))).toBe(path);
    }
  });

  it('the path of a hostile name is quoted so it cannot pass for another path', () => {
    expect(formatPath(['where', 'or', 1, 'channel', 'like'])).toBe('where.or[1].channel.like');
    expect(formatPath(['where', 'a.b'])).toBe('where["a.b"]');
    expect(formatPath(['where', 'x"] or [1'])).toBe('where["x\\"] or [1"]');
  });
});

it('every table is still there, unchanged', async () => {
  const count = await t.wh.query(`select count(*) as c from ${qualify(t.schema, 'h')}`);
  expect(count.rows[0].c).toBe(rows.length);
  const names = await t.wh.query(`select name from ${qualify(t.schema, 'h')} where id >= 10000 order by id`);
  expect(names.rows.map((r) => r.name)).toEqual(HOSTILE);
});
