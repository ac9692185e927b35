/**
 * Aggregates: the exact SQL, then the results compared with SQL written by hand, for every time
 * grain on date, timestamp and timestamptz columns and for time zones with DST and half-hour
 * offsets; and day buckets compared with a zone computation done in JavaScript (Intl).
 */
import {
  buildAggregate,
  QueryError,
  type AggregateRequest,
  type TimeGrainUnit,
} from '../../../src/graphql/query';
import { qualify } from '../../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../../helpers/warehouse';
import { modelFor, seedTable, type Row } from './fixture';

let t: TestWarehouse;
let rows: Row[];
let rel: string;
beforeAll(async () => {
  t = await openTestWarehouse();
  rows = await seedTable(t.wh, t.schema, { seed: 3, count: 400 });
  rel = qualify(t.schema, 't');
});
afterAll(() => t?.cleanup());

const model = () => modelFor(t.schema);

async function run(request: AggregateRequest): Promise<Row[]> {
  const q = buildAggregate(model(), request);
  return (await t.wh.query(q.sql, q.params)).rows;
}

async function hand(sql: string): Promise<Row[]> {
  return (await t.wh.query(sql)).rows;
}

it('compiles a grouped, bucketed, ordered aggregate to the expected SQL', () => {
  const q = buildAggregate(model(), {
    groupBy: ['flag', 'tstz'],
    where: { n: { gt: 0 } },
    aggregates: { count: true, sum: ['amount'], avg: ['x'], min: ['d'], max: ['name'] },
    timeGrain: { column: 'tstz', grain: 'week', timezone: 'Europe/Paris' },
    orderBy: [{ aggregate: 'sum', column: 'amount', direction: 'DESC', nulls: 'LAST' }],
    limit: 20,
  });
  expect(q.sql).toBe(
    `select "flag", date_trunc('week', "tstz" at time zone $1::text) as "tstz", count(*) as "count(*)", ` +
      `sum("amount") as "sum(amount)", avg("x") as "avg(x)", min("d") as "min(d)", max("name") as "max(name)" ` +
      `from "${t.schema}"."t" where "n" > $2::int group by 1, 2 ` +
      `order by "sum(amount)" desc nulls last, "flag" asc, "tstz" asc limit $3::int8 offset $4::int8`,
  );
  expect(q.params).toEqual(['Europe/Paris', 0, 20, 0]);
  expect(q.fields).toEqual([
    { alias: 'flag', role: 'group', column: 'flag' },
    { alias: 'tstz', role: 'group', column: 'tstz' },
    { alias: 'count(*)', role: 'count' },
    { alias: 'sum(amount)', role: 'sum', column: 'amount' },
    { alias: 'avg(x)', role: 'avg', column: 'x' },
    { alias: 'min(d)', role: 'min', column: 'd' },
    { alias: 'max(name)', role: 'max', column: 'name' },
  ]);
});

const GRAINS: TimeGrainUnit[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];

describe.each(ZONES)('timestamptz in %s', (zone) => {
  it.each(GRAINS)('%s buckets match hand-written SQL', async (grain) => {
    const got = await run({
      groupBy: [],
      timeGrain: { column: 'tstz', grain, timezone: zone },
      aggregates: { count: true, sum: ['n'], avg: ['amount'], max: ['x'] },
      where: { flag: { isNull: false } },
      limit: 1000,
    });
    const expected = await hand(
      `select date_trunc('${grain}', tstz at time zone '${zone}') as b, count(*) as c, sum(n) as s, avg(amount) as a, max(x) as m
       from ${rel} where flag is not null group by 1 order by 1`,
    );
    expect(got.map((r) => [r.tstz, r['count(*)'], r['sum(n)'], r['avg(amount)'], r['max(x)']])).toEqual(
      expected.map((r) => [r.b, r.c, r.s, r.a, r.m]),
    );
    expect(got.length).toBeGreaterThan(1);
  });
});

it('timestamptz without a zone buckets in UTC, whatever the session TimeZone', async () => {
  const got = await run({
    groupBy: [],
    timeGrain: { column: 'tstz', grain: 'day' },
    aggregates: { count: true },
    limit: 1000,
  });
  const expected = await hand(
    `select date_trunc('day', tstz at time zone 'UTC') as b, count(*) as c from ${rel} group by 1 order by 1`,
  );
  expect(got.map((r) => [r.tstz, r['count(*)']])).toEqual(expected.map((r) => [r.b, r.c]));
});

it.each(['America/New_York', 'Asia/Kolkata'])('day buckets in %s agree with Intl', async (zone) => {
  const got = await run({
    groupBy: [],
    timeGrain: { column: 'tstz', grain: 'day', timezone: zone },
    aggregates: { count: true },
    limit: 1000,
  });
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const counts = new Map<string | null, number>();
  for (const r of rows) {
    const day =
      r.tstz === null
        ? null
        : `${local.format(
            new Date(
              String(r.tstz)
                .replace(' ', 'T')
                .replace(/([+-]\d{2})$/, '$1:00'),
            ),
          )} 00:00:00`;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const expected = [...counts].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
  expect(got.map((r) => [r.tstz, r['count(*)']])).toEqual(expected);
});

it.each(GRAINS.filter((g) => g !== 'hour'))('date column, %s grain, grouped by flag', async (grain) => {
  const got = await run({
    groupBy: ['flag', 'd'],
    timeGrain: { column: 'd', grain },
    aggregates: { count: true, min: ['ts'] },
    limit: 1000,
  });
  const expected = await hand(
    `select flag, date_trunc('${grain}', d::timestamp)::date as b, count(*) as c, min(ts) as m
     from ${rel} group by 1, 2 order by 1, 2`,
  );
  expect(got.map((r) => [r.flag, r.d, r['count(*)'], r['min(ts)']])).toEqual(
    expected.map((r) => [r.flag, r.b, r.c, r.m]),
  );
});

it.each(GRAINS)('timestamp column, %s grain', async (grain) => {
  const got = await run({
    groupBy: ['ts'],
    timeGrain: { column: 'ts', grain },
    aggregates: { sum: ['big'] },
    limit: 1000,
  });
  const expected = await hand(
    `select date_trunc('${grain}', ts) as b, sum(big) as s from ${rel} group by 1 order by 1`,
  );
  expect(got.map((r) => [r.ts, r['sum(big)']])).toEqual(expected.map((r) => [r.b, r.s]));
});

it('orders by an aggregate and pages', async () => {
  const request: AggregateRequest = {
    groupBy: ['name'],
    aggregates: { count: true, avg: ['x'] },
    orderBy: [{ aggregate: 'count', direction: 'DESC' }],
    limit: 5,
    offset: 2,
  };
  const got = await run(request);
  const expected = await hand(
    `select name, count(*) as c, avg(x) as a from ${rel} group by 1 order by 2 desc, 1 asc limit 5 offset 2`,
  );
  expect(got).toEqual(expected.map((r) => ({ name: r.name, 'count(*)': r.c, 'avg(x)': r.a })));
});

it('counts everything when there is no group', async () => {
  expect(
    await run({ groupBy: [], aggregates: { count: true }, where: { n: { isNull: true } }, limit: 1 }),
  ).toEqual([{ 'count(*)': rows.filter((r) => r.n === null).length }]);
});

describe('refusals', () => {
  const refuse = (request: Partial<AggregateRequest>, path: string) => {
    const full = {
      groupBy: [],
      aggregates: { count: true as const },
      limit: 10,
      ...request,
    } as AggregateRequest;
    expect(() => buildAggregate(model(), full)).toThrow(QueryError);
    try {
      buildAggregate(model(), full);
    } catch (e) {
      expect((e as QueryError).path).toBe(path);
    }
  };

  it('sum/avg of non-numeric, min/max of booleans, grouping by json', () => {
    refuse({ aggregates: { sum: ['name'] } }, 'aggregates.sum[0]');
    refuse({ aggregates: { avg: ['d'] } }, 'aggregates.avg[0]');
    refuse({ aggregates: { min: ['flag'] } }, 'aggregates.min[0]');
    refuse({ aggregates: { max: ['payload'] } }, 'aggregates.max[0]');
    refuse({ groupBy: ['payload'] }, 'groupBy[0]');
    refuse({ aggregates: { sum: ['nope'] } }, 'aggregates.sum[0]');
    refuse({ aggregates: { median: ['x'] } as never }, 'aggregates.median');
    refuse({ aggregates: {} }, 'aggregates');
  });

  it('time grains on the wrong column, a bad grain, a zone where none applies or unknown', () => {
    refuse({ timeGrain: { column: 'n', grain: 'day' } }, 'timeGrain.column');
    refuse({ timeGrain: { column: 'd', grain: 'hour' } }, 'timeGrain.grain');
    refuse({ timeGrain: { column: 'tstz', grain: 'fortnight' as never } }, 'timeGrain.grain');
    refuse({ timeGrain: { column: 'ts', grain: 'day', timezone: 'UTC' } }, 'timeGrain.timezone');
    for (const timezone of [
      'Mars/Olympus',
      "UTC'; drop table t; --",
      'UTC+5',
      '+05:00',
      '',
      'x'.repeat(100),
    ]) {
      refuse({ timeGrain: { column: 'tstz', grain: 'day', timezone } }, 'timeGrain.timezone');
    }
  });

  it('orderings that name nothing requested, limits above the maximum', () => {
    refuse({ groupBy: ['name'], orderBy: [{ column: 'n', direction: 'ASC' }] }, 'orderBy[0].column');
    refuse({ orderBy: [{ aggregate: 'sum', column: 'x', direction: 'ASC' }] }, 'orderBy[0].column');
    refuse(
      { aggregates: { sum: ['x'] }, orderBy: [{ aggregate: 'count', direction: 'ASC' }] },
      'orderBy[0].aggregate',
    );
    refuse({ limit: 1001 }, 'limit');
    refuse({ limit: 10, maxLimit: 5 }, 'limit');
  });
});
