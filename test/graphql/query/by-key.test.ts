/**
 * Batched loads by key (DataLoader's batch function): one statement for any number of keys, rows
 * returned with the index of their key, matched by Postgres's equality of the column's type.
 */
import { buildByKey, rowsPerKey, QueryError } from '../../../src/graphql/query';
import { openTestWarehouse, type TestWarehouse } from '../../helpers/warehouse';
import { modelFor, prng, seedTable, type Row } from './fixture';
import { compare, sortRows } from './oracle';

let t: TestWarehouse;
let rows: Row[];
beforeAll(async () => {
  t = await openTestWarehouse();
  rows = await seedTable(t.wh, t.schema, { seed: 13 });
});
afterAll(() => t?.cleanup());

const model = () => modelFor(t.schema);

async function load(keyColumns: string[], keys: unknown[][], columns?: string[]) {
  const q = buildByKey(model(), keyColumns, keys, { columns });
  const result = await t.wh.query(q.sql, q.params);
  return rowsPerKey(result.rows, keys.length);
}

it('compiles a single key to one unnest join whatever the number of keys', () => {
  const one = buildByKey(model(), ['id'], [[3]], { columns: ['id', 'name'] });
  expect(one).toEqual({
    sql:
      `select k.ord - 1 as "__key", t."id", t."name" from unnest($1::int[]) with ordinality as k(k1, ord) ` +
      `join "${t.schema}"."t" as t on t."id" = k.k1 order by k.ord, t."id" asc`,
    params: [[3]],
    keyIndexColumn: '__key',
  });
  const many = buildByKey(
    model(),
    ['id'],
    Array.from({ length: 500 }, (_, i) => [i]),
    { columns: ['id', 'name'] },
  );
  expect(many.sql).toBe(one.sql);
  expect(many.params).toHaveLength(1);
});

it('compiles a composite key to one array per column', () => {
  const q = buildByKey(
    model(),
    ['name', 'd'],
    [
      ['beta', '2024-01-02'],
      [null, '2024-01-03'],
    ],
    { columns: ['id'] },
  );
  expect(q.sql).toBe(
    `select k.ord - 1 as "__key", t."id" from unnest($1::text[], $2::date[]) with ordinality as k(k1, k2, ord) ` +
      `join "${t.schema}"."t" as t on t."name" = k.k1 and t."d" = k.k2 order by k.ord, t."id" asc`,
  );
  expect(q.params).toEqual([
    ['beta', null],
    ['2024-01-02', '2024-01-03'],
  ]);
});

it('loads 500 unique keys (with misses and duplicates) in one statement, one entry per key', async () => {
  const rng = prng(1);
  const keys = Array.from({ length: 500 }, () => [Math.floor(rng() * 400)]);
  const got = await load(['id'], keys);
  expect(got).toHaveLength(500);
  keys.forEach(([id], i) => expect(got[i]).toEqual(rows.filter((r) => r.id === id)));
  expect(got.filter((g) => g.length === 0).length).toBeGreaterThan(0);
});

it('loads one-to-many rows per composite key, NULL key parts matching nothing', async () => {
  const keys: unknown[][] = [
    ['beta', true],
    ['alpha', false],
    ['nothing', true],
    [null, true],
    ['beta', null],
    ['beta', true],
  ];
  const got = await load(['name', 'flag'], keys, ['id', 'name', 'flag']);
  keys.forEach(([name, flag], i) => {
    const expected = sortRows(
      rows.filter((r) => name !== null && flag !== null && r.name === name && r.flag === flag),
    );
    expect(got[i]).toEqual(expected.map((r) => ({ id: r.id, name: r.name, flag: r.flag })));
  });
  expect(got[0].length).toBeGreaterThan(1);
});

it('matches by the column type, not by the spelling of the value', async () => {
  const withAmount = rows.find((r) => r.amount !== null && String(r.amount).endsWith('0'))!;
  const withInstant = rows.find((r) => r.tstz !== null)!;
  const instant = new Date(
    String(withInstant.tstz)
      .replace(' ', 'T')
      .replace(/([+-]\d{2})$/, '$1:00'),
  );
  const shifted = new Date(instant.getTime() + 5.5 * 3600_000)
    .toISOString()
    .replace('Z', '+05:30')
    .replace('.000', '');
  const got = await load(['amount'], [[Number(withAmount.amount)], [String(withAmount.amount)]], ['id']);
  const sameAmount = rows.filter(
    (r) => r.amount !== null && compare('decimal', r.amount, withAmount.amount) === 0,
  );
  expect(got[0].map((r) => r.id)).toEqual(sameAmount.map((r) => r.id));
  expect(got[1]).toEqual(got[0]);
  const byInstant = await load(['tstz'], [[shifted], [instant]], ['id']);
  expect(byInstant[0].map((r) => r.id)).toContain(withInstant.id);
  expect(byInstant[1]).toEqual(byInstant[0]);
});

describe('refusals', () => {
  const pathOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof QueryError) return e.path;
      throw e;
    }
    throw new Error('no error');
  };

  it('names the bad argument', () => {
    expect(pathOf(() => buildByKey(model(), ['payload'], [[1]]))).toBe('keyColumns[0]');
    expect(pathOf(() => buildByKey(model(), ['id"; drop table t; --'], [[1]]))).toBe('keyColumns[0]');
    expect(pathOf(() => buildByKey(model(), [], [[1]]))).toBe('keyColumns');
    expect(pathOf(() => buildByKey(model(), ['id', 'id'], [[1, 1]]))).toBe('keyColumns');
    expect(pathOf(() => buildByKey(model(), ['id'], []))).toBe('keys');
    expect(pathOf(() => buildByKey(model(), ['id'], [[1, 2]]))).toBe('keys[0]');
    expect(pathOf(() => buildByKey(model(), ['id'], [[1], ['2']]))).toBe('keys[1][0]');
    expect(
      pathOf(() =>
        buildByKey(
          model(),
          ['id'],
          Array.from({ length: 5001 }, (_, i) => [i]),
        ),
      ),
    ).toBe('keys');
    expect(pathOf(() => buildByKey(model(), ['id'], [[1]], { columns: ['nope'] }))).toBe('columns[0]');
  });
});
