/**
 * Every filter operator on every kind it applies to: the exact SQL and parameters, then the rows
 * that SQL returns from the seeded table, compared with the oracle over the same rows.
 */
import { buildSelect, buildCount, type Filter } from '../../../src/graphql/query';
import { openTestWarehouse, type TestWarehouse } from '../../helpers/warehouse';
import { modelFor, seedTable, type Row } from './fixture';
import { evaluate, holds } from './oracle';

let t: TestWarehouse;
let rows: Row[];
beforeAll(async () => {
  t = await openTestWarehouse();
  rows = await seedTable(t.wh, t.schema);
});
afterAll(() => t?.cleanup());

const ids = (list: Row[]) => list.map((r) => r.id);

async function runIds(where: Filter): Promise<unknown[]> {
  const q = buildSelect(modelFor(t.schema), { where, columns: ['id'], limit: 1000, maxLimit: 1000 });
  return ids((await t.wh.query(q.sql, q.params)).rows);
}

/** [where, the SQL of its condition, its parameters] */
const CASES: [string, Filter, string, unknown[]][] = [
  ['int eq', { n: { eq: 3 } }, '"n" = $1::int', [3]],
  ['int ne (NULLs included)', { n: { ne: 3 } }, '"n" is distinct from $1::int', [3]],
  ['int in', { n: { in: [1, 2, -7] } }, '"n" = any($1::int[])', [[1, 2, -7]]],
  ['int notIn (NULLs included)', { n: { notIn: [1, 2] } }, '("n" = any($1::int[])) is not true', [[1, 2]]],
  ['int lt', { n: { lt: -3 } }, '"n" < $1::int', [-3]],
  ['int lte', { n: { lte: -3 } }, '"n" <= $1::int', [-3]],
  ['int gt', { n: { gt: 4 } }, '"n" > $1::int', [4]],
  ['int gte', { n: { gte: 4 } }, '"n" >= $1::int', [4]],
  ['int range', { n: { gte: -2, lt: 5 } }, '"n" < $1::int and "n" >= $2::int', [5, -2]],
  ['isNull true', { n: { isNull: true } }, '"n" is null', []],
  ['isNull false', { n: { isNull: false } }, '"n" is not null', []],
  ['bigint eq as string', { big: { eq: '-1994000013958' } }, '"big" = $1::int8', ['-1994000013958']],
  ['bigint gt as number', { big: { gt: 997000006979 } }, '"big" > $1::int8', ['997000006979']],
  [
    'bigint in as bigint',
    { big: { in: [0n, 2991000020937n] } },
    '"big" = any($1::int8[])',
    [['0', '2991000020937']],
  ],
  ['float gt', { x: { gt: 10.5 } }, '"x" > $1::float8', [10.5]],
  ['float lte', { x: { lte: -99.5 } }, '"x" <= $1::float8', [-99.5]],
  ['decimal lte string', { amount: { lte: '-100.50' } }, '"amount" <= $1::numeric', ['-100.50']],
  ['decimal gt number', { amount: { gt: 900 } }, '"amount" > $1::numeric', ['900']],
  ['text eq', { name: { eq: 'beta' } }, '"name" = $1::text', ['beta']],
  ['text eq empty string', { name: { eq: '' } }, '"name" = $1::text', ['']],
  ['text ne', { name: { ne: 'beta' } }, '"name" is distinct from $1::text', ['beta']],
  [
    'text in',
    { name: { in: ['beta', "o'neil", 'x\\y'] } },
    '"name" = any($1::text[])',
    [['beta', "o'neil", 'x\\y']],
  ],
  ['text lt (bytewise)', { name: { lt: 'beta' } }, '"name" < $1::text', ['beta']],
  ['text gte', { name: { gte: 'd' } }, '"name" >= $1::text', ['d']],
  ['like prefix', { name: { like: 'al%' } }, '"name" like $1::text', ['al%']],
  ['like _ wildcard', { name: { like: 'al_ha%' } }, '"name" like $1::text', ['al_ha%']],
  ['like escaped _', { name: { like: 'al\\_pha%' } }, '"name" like $1::text', ['al\\_pha%']],
  ['like escaped %', { name: { like: '%\\%%' } }, '"name" like $1::text', ['%\\%%']],
  ['like backslash', { name: { like: 'x\\\\y%' } }, '"name" like $1::text', ['x\\\\y%']],
  ['ilike', { name: { ilike: 'BeTa%' } }, '"name" ilike $1::text', ['BeTa%']],
  ['boolean eq', { flag: { eq: true } }, '"flag" = $1::boolean', [true]],
  ['boolean ne', { flag: { ne: true } }, '"flag" is distinct from $1::boolean', [true]],
  ['date gte', { d: { gte: '2024-06-01' } }, '"d" >= $1::date', ['2024-06-01']],
  [
    'date in',
    { d: { in: ['2024-08-28', '2024-03-13', '2024-02-29'] } },
    '"d" = any($1::date[])',
    [['2024-08-28', '2024-03-13', '2024-02-29']],
  ],
  [
    'timestamp range',
    { ts: { gte: '2024-03-01T00:00:00', lt: '2024-04-01 00:00' } },
    '"ts" < $1::timestamp and "ts" >= $2::timestamp',
    ['2024-04-01 00:00', '2024-03-01T00:00:00'],
  ],
  [
    'timestamptz with offset',
    { tstz: { lt: '2024-03-10T03:00:00-05:00' } },
    '"tstz" < $1::timestamptz',
    ['2024-03-10T03:00:00-05:00'],
  ],
  [
    'timestamptz Date',
    { tstz: { gte: new Date('2024-11-03T06:00:00Z') } },
    '"tstz" >= $1::timestamptz',
    ['2024-11-03T06:00:00.000Z'],
  ],
  ['json isNull', { payload: { isNull: true } }, '"payload" is null', []],
  ['two columns', { name: { eq: 'beta' }, n: { gt: 0 } }, '"n" > $1::int and "name" = $2::text', [0, 'beta']],
  [
    'or',
    { or: [{ n: { eq: 1 } }, { name: { like: 'g%' } }] },
    '"n" = $1::int or "name" like $2::text',
    [1, 'g%'],
  ],
  [
    'and inside or',
    { or: [{ and: [{ n: { gt: 0 } }, { flag: { eq: true } }] }, { d: { isNull: true } }] },
    '("n" > $1::int and "flag" = $2::boolean) or "d" is null',
    [0, true],
  ],
  ['not (NULLs included)', { not: { n: { gt: 0 } } }, '("n" > $1::int) is not true', [0]],
  [
    'not of or',
    { not: { or: [{ n: { gt: 0 } }, { name: { eq: 'beta' } }] } },
    '("n" > $1::int or "name" = $2::text) is not true',
    [0, 'beta'],
  ],
  ['not not', { not: { not: { x: { lt: 0 } } } }, '(("x" < $1::float8) is not true) is not true', [0]],
  ['or: [] is false', { or: [] }, 'false', []],
  [
    'empty column filter and and: [] hold',
    { n: {}, and: [], name: { eq: 'beta' } },
    '"name" = $1::text',
    ['beta'],
  ],
];

describe.each(CASES)('%s', (_name, where, condition, params) => {
  it('compiles to the expected SQL', () => {
    const q = buildSelect(modelFor(t.schema), { where, columns: ['id'], limit: 1000, maxLimit: 1000 });
    const n = params.length;
    expect(q.sql).toBe(
      `select "id" from "${t.schema}"."t" where ${condition} order by "id" asc limit $${n + 1}::int8 offset $${n + 2}::int8`,
    );
    expect(q.params).toEqual([...params, 1000, 0]);
  });

  it('returns the rows the oracle selects', async () => {
    expect(await runIds(where)).toEqual(ids(evaluate(rows, { where, limit: 1000 })));
  });
});

describe('the data exercises each case', () => {
  it('every case but `or: []` selects some rows and not all', () => {
    const trivial = CASES.filter(([, where]) => {
      const n = rows.filter((r) => holds(r, where)).length;
      return n === 0 || n === rows.length;
    });
    expect(trivial.map(([name]) => name)).toEqual(['or: [] is false']);
  });

  it('has NULLs in every column but id', () => {
    for (const key of Object.keys(rows[0]).filter((k) => k !== 'id')) {
      expect(rows.some((r) => r[key] === null)).toBe(true);
    }
  });
});

describe('NULL semantics', () => {
  const model = () => modelFor(t.schema);
  const count = async (where?: Filter) => {
    const q = buildCount(model(), { where });
    return Number((await t.wh.query(q.sql, q.params)).rows[0].totalCount);
  };

  it('eq and ne partition the rows, NULLs going to ne', async () => {
    const all = await count();
    const [eq, ne, nulls] = [
      await count({ name: { eq: 'beta' } }),
      await count({ name: { ne: 'beta' } }),
      await count({ name: { isNull: true } }),
    ];
    expect(eq + ne).toBe(all);
    expect(nulls).toBeGreaterThan(0);
    expect(ne).toBe(rows.filter((r) => r.name !== 'beta').length);
  });

  it('a filter and its not partition the rows', async () => {
    const all = await count();
    for (const f of [
      { n: { lt: 0 } },
      { or: [{ x: { gt: 0 } }, { d: { lt: '2024-01-01' } }] },
      { name: { like: '%a%' }, flag: { eq: false } },
      { n: { notIn: [1, 2, 3] } },
    ] as Filter[]) {
      expect((await count(f)) + (await count({ not: f }))).toBe(all);
    }
  });

  it('an order comparison is false on NULL both ways', async () => {
    const lt = await count({ n: { lt: 0 } });
    const gte = await count({ n: { gte: 0 } });
    const nulls = await count({ n: { isNull: true } });
    expect(lt + gte + nulls).toBe(await count());
  });

  it('totalCount is a number', async () => {
    const q = buildCount(model(), { where: { flag: { eq: true } } });
    expect(q).toEqual({
      sql: `select count(*) as "totalCount" from "${t.schema}"."t" where "flag" = $1::boolean`,
      params: [true],
    });
    expect(await count({ flag: { eq: true } })).toBe(rows.filter((r) => r.flag === true).length);
  });
});
