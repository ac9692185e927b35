/**
 * Property: for seeded random filter trees, orderings, pages and selections, the compiled SQL
 * returns exactly the rows (in order, with their values) that the TypeScript oracle computes.
 */
import { buildCount, buildSelect } from '../../../src/graphql/query';
import { openTestWarehouse, type TestWarehouse } from '../../helpers/warehouse';
import { COLUMNS, int, modelFor, prng, seedTable, type Row } from './fixture';
import { randomFilter, randomOrder } from './generators';
import { evaluate, holds } from './oracle';

let t: TestWarehouse;
let rows: Row[];
beforeAll(async () => {
  t = await openTestWarehouse();
  rows = await seedTable(t.wh, t.schema, { seed: 7, count: 400 });
});
afterAll(() => t?.cleanup());

const project = (row: Row, names: string[]) => Object.fromEntries(names.map((n) => [n, row[n]]));

it('random filter trees select what the oracle selects (300 seeded trees)', async () => {
  const rng = prng(2024);
  let nonTrivial = 0;
  for (let i = 0; i < 300; i++) {
    const where = randomFilter(rng, rows);
    const q = buildSelect(modelFor(t.schema), { where, columns: ['id'], limit: 1000, maxLimit: 1000 });
    const got = (await t.wh.query(q.sql, q.params)).rows.map((r) => r.id);
    const expected = evaluate(rows, { where, limit: 1000 }).map((r) => r.id);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      throw new Error(
        `tree ${i} differs\nwhere: ${JSON.stringify(where)}\nsql: ${q.sql}\nparams: ${JSON.stringify(q.params)}`,
      );
    }
    const c = buildCount(modelFor(t.schema), { where });
    expect((await t.wh.query(c.sql, c.params)).rows[0].totalCount).toBe(expected.length);
    if (expected.length > 0 && expected.length < rows.length) nonTrivial++;
  }
  // The generator is useful only if most trees split the table.
  expect(nonTrivial).toBeGreaterThan(100);
});

it('random orderings, pages and selections return the oracle rows in order (200 seeded requests)', async () => {
  const rng = prng(99);
  for (let i = 0; i < 200; i++) {
    const where = rng() < 0.5 ? randomFilter(rng, rows, 2) : undefined;
    const orderBy = randomOrder(rng);
    const limit = int(rng, 0, 60);
    const offset = rng() < 0.3 ? 0 : int(rng, 0, 350);
    const columns = COLUMNS.map((c) => c.name).filter(() => rng() < 0.5);
    const q = buildSelect(modelFor(t.schema), { where, orderBy, limit, offset, columns, maxLimit: 100 });
    const got = (await t.wh.query(q.sql, q.params)).rows;
    const names = COLUMNS.map((c) => c.name).filter((n) => columns.includes(n));
    const expected = evaluate(rows, { where, orderBy, limit, offset }).map((r) => project(r, names));
    try {
      expect(got).toEqual(expected);
    } catch (e) {
      throw new Error(
        `request ${i}: ${JSON.stringify({ where, orderBy, limit, offset })}\n${q.sql}\n${(e as Error).message}`,
        { cause: e },
      );
    }
  }
});

it('compiling is deterministic and independent of key order', () => {
  const rng = prng(5);
  for (let i = 0; i < 50; i++) {
    const where = randomFilter(rng, rows);
    const request = { where, orderBy: randomOrder(rng), limit: 10, maxLimit: 100 };
    const a = buildSelect(modelFor(t.schema), request);
    expect(buildSelect(modelFor(t.schema), structuredClone(request))).toEqual(a);
    const reversed = Object.fromEntries(Object.entries(where).reverse());
    expect(buildSelect(modelFor(t.schema), { ...request, where: reversed }).sql).toBe(a.sql);
  }
});

it('the oracle agrees with itself on not (sanity of the reference)', () => {
  const rng = prng(11);
  for (let i = 0; i < 100; i++) {
    const where = randomFilter(rng, rows);
    for (const row of rows.slice(0, 50)) expect(holds(row, { not: where })).toBe(!holds(row, where));
  }
});
