/**
 * `partition_by` on table and incremental models: the partitioned table holds exactly the model's
 * rows (oracle: the same SQL built unpartitioned), in the partitions their values call for (oracle:
 * the grouping done in SQL), keeps its partition and index names across rebuilds, and an
 * incremental run adds the partitions new rows need and leaves the other partitions' rows alone
 * (same ctid and xmin).
 */
import { MartqlError } from '../../src/errors';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, failure, multiset, type ModelSpec } from '../materialize/helpers';
import { indexesOf, partitionsOf, relkind, rowsPerPartition } from './catalog';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  // 2,000 events over ~4.5 months, a few with no time; a region per event, some NULL.
  await t.wh.query(
    `create table ${qualify(t.schema, 'events')} as
     select g as id,
            case when g % 97 = 0 then null else timestamptz '2024-01-01 00:00:00+00' + g * interval '97 minutes' end as at,
            case g % 4 when 0 then 'eu' when 1 then 'us' when 2 then 'APAC' else null end as region,
            (g * 7919) % 1000 as amount
     from generate_series(1, 2000) g`,
  );
});
afterAll(() => t?.cleanup());

const events = () => qualify(t.schema, 'events');

async function monthOracle(where = 'true'): Promise<Record<string, number>> {
  const { rows } = await t.wh.query<{ k: string; n: number }>(
    `select coalesce(to_char(date_trunc('month', at at time zone 'UTC'), 'YYYYMM'), 'default') as k, count(*)::int as n
     from ${events()} where ${where} group by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

function bySuffix(model: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).map(([name, n]) => [name.slice(`${model}__p_`.length), n]),
  );
}

describe('range partitions', () => {
  it('builds a partitioned table with one partition per month present (NULLs in a default one)', async () => {
    const spec = {
      name: 'by_month',
      materialized: 'table',
      sql: `select * from ${events()}`,
      config: { partition_by: { field: 'at', granularity: 'month' }, indexes: [{ columns: ['region'] }] },
    };
    await build(t.wh, t.schema, { ...spec, name: 'flat', config: {} });
    await build(t.wh, t.schema, spec);
    expect(await relkind(t.wh, t.schema, 'by_month')).toBe('p');
    expect(await multiset(t.wh, t.schema, 'by_month')).toEqual(await multiset(t.wh, t.schema, 'flat'));
    expect(bySuffix('by_month', await rowsPerPartition(t.wh, t.schema, 'by_month'))).toEqual(
      await monthOracle(),
    );
    const partitions = await partitionsOf(t.wh, t.schema, 'by_month');
    expect(partitions.map((p) => p.name)).toEqual([
      'by_month__p_202401',
      'by_month__p_202402',
      'by_month__p_202403',
      'by_month__p_202404',
      'by_month__p_202405',
      'by_month__p_default',
    ]);
    expect(partitions.find((p) => p.name === 'by_month__p_default')!.bound).toBe('DEFAULT');

    // A rebuild: new partitions (new oids), the same names for partitions and every index.
    const indexNames = async () => {
      const names = [...(await indexesOf(t.wh, t.schema, 'by_month')).map((i) => i.name)];
      for (const p of partitions) names.push(...(await indexesOf(t.wh, t.schema, p.name)).map((i) => i.name));
      return names.sort();
    };
    const before = await indexNames();
    expect(before).toHaveLength(1 + partitions.length);
    await build(t.wh, t.schema, spec);
    const rebuilt = await partitionsOf(t.wh, t.schema, 'by_month');
    expect(rebuilt.map((p) => p.name)).toEqual(partitions.map((p) => p.name));
    expect(rebuilt.map((p) => p.oid)).not.toEqual(partitions.map((p) => p.oid));
    expect(await indexNames()).toEqual(before);
    expect((await t.wh.listRelations(t.schema)).filter((r) => r.name.includes('__dbt'))).toEqual([]);

    // A view reading the partitioned table survives a rebuild (the swap recreates it).
    await t.wh.query(
      `create view ${qualify(t.schema, 'by_month_eu')} as select id from ${qualify(t.schema, 'by_month')} where region = 'eu'`,
    );
    await build(t.wh, t.schema, spec);
    const { rows } = await t.wh.query<{ n: number }>(
      `select count(*)::int as n from ${qualify(t.schema, 'by_month_eu')}`,
    );
    expect(rows[0].n).toBe(500);
  });

  it('aligns day partitions of a date column and year partitions of a timestamp column', async () => {
    await build(t.wh, t.schema, {
      name: 'by_day',
      materialized: 'table',
      sql: `select id, cast(at as date) as on_day from ${events()} where id <= 100 and at is not null`,
      config: { partition_by: { field: 'on_day', granularity: 'day' } },
    });
    const days = await partitionsOf(t.wh, t.schema, 'by_day');
    expect(days[0]).toMatchObject({
      name: 'by_day__p_20240101',
      bound: "FOR VALUES FROM ('2024-01-01') TO ('2024-01-02')",
    });
    expect(days.map((p) => p.name)).toHaveLength(7); // 99 events x 97 minutes: Jan 1 to Jan 7
    await build(t.wh, t.schema, {
      name: 'by_year',
      materialized: 'table',
      sql: `select id, cast(at at time zone 'UTC' as timestamp) + (id % 3) * interval '1 year' as at from ${events()} where at is not null`,
      config: { partition_by: { field: 'at', granularity: 'year' } },
    });
    const years = await partitionsOf(t.wh, t.schema, 'by_year');
    expect(years.map((p) => p.name)).toEqual(['by_year__p_2024', 'by_year__p_2025', 'by_year__p_2026']);
    expect(years[0].bound).toBe("FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00')");
  });

  it('rejects a granularity on a column that is not a date or timestamp, naming the model', async () => {
    const err = await failure(
      build(t.wh, t.schema, {
        name: 'by_amount',
        materialized: 'table',
        sql: `select * from ${events()}`,
        config: { partition_by: { field: 'amount', granularity: 'month' } },
      }),
    );
    expect(err).toBeInstanceOf(MartqlError);
    expect(err.message).toBe(
      `${t.schema}.by_amount: partition_by.granularity needs a date or timestamp column; 'amount' is integer`,
    );
    expect(await t.wh.getRelation(t.schema, 'by_amount')).toBeNull();
  });

  it('rejects a unique index without the partition key before building', async () => {
    const err = await failure(
      build(t.wh, t.schema, {
        name: 'uniq_part',
        materialized: 'table',
        sql: `select * from ${events()}`,
        config: {
          partition_by: { field: 'at', granularity: 'month' },
          indexes: [{ columns: ['id'], unique: true }],
        },
      }),
    );
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toMatch(
      new RegExp(
        `^${t.schema}\\.uniq_part: the unique index on \\(id\\) must include the partition key 'at'`,
      ),
    );
  });
});

describe('incremental runs on a partitioned table', () => {
  const spec = (strategy: string, extra: Record<string, unknown> = {}): ModelSpec => ({
    name: `inc_${strategy.replace('+', '_')}`,
    materialized: 'incremental',
    // The first build takes events up to id 1200; each run takes 400 more plus a re-sent overlap.
    sql: ({ isIncremental }) =>
      isIncremental
        ? `select * from ${events()} where id > (select max(id) - 50 from {{this}}) and id <= (select max(id) + 400 from {{this}})`
        : `select * from ${events()} where id <= 1200`,
    config: {
      unique_key: ['id', 'at'],
      null_safe_unique_key: true,
      incremental_strategy: strategy,
      partition_by: { field: 'at', granularity: 'month' },
      indexes: [{ columns: ['id', 'at'], unique: true }, { columns: ['region'] }],
      ...extra,
    },
  });
  const compileThis = (s: ModelSpec): ModelSpec => ({
    ...s,
    sql: (o) => (s.sql as (o: unknown) => string)(o).replace(/\{\{this\}\}/g, qualify(t.schema, s.name)),
  });

  it.each(['delete+insert', 'merge'])(
    '%s adds the partitions new rows need, leaves the others alone',
    async (strategy) => {
      const s = compileThis(spec(strategy));
      await build(t.wh, t.schema, s);
      expect((await partitionsOf(t.wh, t.schema, s.name)).map((p) => p.name.slice(s.name.length))).toEqual([
        '__p_202401',
        '__p_202402',
        '__p_202403',
        '__p_default',
      ]);
      const january = `${s.name}__p_202401`;
      const untouched = await t.wh.query(
        `select ctid::text, xmin::text from ${qualify(t.schema, january)} order by 1`,
      );
      const result = await build(t.wh, t.schema, s);
      expect(result.kind).toBe('incremental');
      await build(t.wh, t.schema, s);
      expect(await multiset(t.wh, t.schema, s.name)).toEqual(
        (await t.wh.query(`select * from ${events()} where id <= 2000`)).rows
          .map((r) => JSON.stringify(r))
          .sort(),
      );
      expect(bySuffix(s.name, await rowsPerPartition(t.wh, t.schema, s.name))).toEqual(await monthOracle());
      expect(
        (await t.wh.query(`select ctid::text, xmin::text from ${qualify(t.schema, january)} order by 1`))
          .rows,
      ).toEqual(untouched.rows);
      // Every partition, old and new, carries the declared indexes; the writes analyzed what they touched.
      for (const p of await partitionsOf(t.wh, t.schema, s.name))
        expect(await indexesOf(t.wh, t.schema, p.name)).toHaveLength(2);
      expect(result.statements.some((st) => /^analyze .*__p_2024/.test(st.sql))).toBe(true);
    },
  );

  it('refuses to change how an existing table is partitioned without a full refresh', async () => {
    const named = { ...spec('delete+insert'), name: 'repartitioned' };
    await build(t.wh, t.schema, compileThis(named));
    const byRegion = compileThis({
      ...named,
      config: { ...named.config, partition_by: { field: 'region' }, indexes: [] },
    });
    const err = await failure(build(t.wh, t.schema, byRegion));
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toBe(
      `${t.schema}.repartitioned: the table is partitioned by range (at), the config says list (region)`,
    );
    expect(err.hint).toMatch(/--full-refresh/);
    const unpartitioned = compileThis({
      ...named,
      config: { ...named.config, partition_by: undefined, indexes: [] },
    });
    expect((await failure(build(t.wh, t.schema, unpartitioned))).message).toMatch(
      /no longer sets partition_by/,
    );
    await build(t.wh, t.schema, {
      ...byRegion,
      fullRefresh: true,
      config: { ...byRegion.config, indexes: [] },
    });
    expect(await relkind(t.wh, t.schema, 'repartitioned')).toBe('p');
    expect((await partitionsOf(t.wh, t.schema, 'repartitioned')).map((p) => p.bound).sort()).toEqual([
      "FOR VALUES IN ('APAC')",
      "FOR VALUES IN ('eu')",
      "FOR VALUES IN ('us')",
      'FOR VALUES IN (NULL)',
    ]);
  });
});

describe('list partitions', () => {
  it('makes one partition per value present, adding partitions for new values', async () => {
    const name = 'by_region';
    const s: ModelSpec = {
      name,
      materialized: 'incremental',
      sql: ({ isIncremental }) =>
        isIncremental
          ? `select id, coalesce(region, 'latam') as region from ${events()} where id > 1000`
          : `select id, region from ${events()} where id <= 1000`,
      config: { partition_by: { field: 'region' }, incremental_strategy: 'append' },
    };
    await build(t.wh, t.schema, s);
    const first = await rowsPerPartition(t.wh, t.schema, name);
    expect(Object.values(first).sort((a, b) => a - b)).toEqual([250, 250, 250, 250]);
    const names = Object.keys(first).sort();
    expect(names).toHaveLength(4);
    ['apac_[0-9a-f]{6}', 'eu_[0-9a-f]{6}', 'null', 'us_[0-9a-f]{6}'].forEach((suffix, i) =>
      expect(names[i]).toMatch(new RegExp(`^${name}__p_${suffix}$`)),
    );
    await build(t.wh, t.schema, s);
    const after = await rowsPerPartition(t.wh, t.schema, name);
    expect(Object.keys(after)).toHaveLength(5);
    const { rows } = await t.wh.query<{ region: string | null; n: number }>(
      `select region, count(*)::int as n from ${qualify(t.schema, name)} group by 1 order by 1`,
    );
    expect(rows).toEqual([
      { region: 'APAC', n: 500 },
      { region: 'eu', n: 500 },
      { region: 'latam', n: 250 },
      { region: 'us', n: 500 },
      { region: null, n: 250 },
    ]);
  });

  it('with declared values: those partitions and a default one for the rest', async () => {
    await build(t.wh, t.schema, {
      name: 'declared',
      materialized: 'table',
      sql: `select id, region from ${events()}`,
      config: { partition_by: { field: 'region', values: ['eu', ['us', 'APAC']] } },
    });
    const partitions = await partitionsOf(t.wh, t.schema, 'declared');
    expect(partitions.map((p) => p.bound).sort()).toEqual([
      'DEFAULT',
      "FOR VALUES IN ('eu')",
      "FOR VALUES IN ('us', 'APAC')",
    ]);
    const counts = await rowsPerPartition(t.wh, t.schema, 'declared');
    expect(counts['declared__p_default']).toBe(500);
    expect(Object.values(counts).sort((a, b) => a - b)).toEqual([500, 500, 1000]);
  });
});
