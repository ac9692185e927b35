/**
 * The `indexes` config on table and incremental models: the indexes exist after a full build, keep
 * their names across rebuilds and incremental runs (no duplicates), follow config changes on an
 * incremental run, and are on the new table before it replaces the old one.
 */
import { MartqlError } from '../../src/errors';
import { indexName, readIndexes } from '../../src/physical';
import { qualify } from '../../src/warehouse';
import { DATABASE_URL, describePostgres, openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, count, failure } from '../materialize/helpers';
import { indexesOf, type IndexInfo } from './catalog';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  await t.wh.query(
    `create table ${qualify(t.schema, 'src')} as
     select g as id, g % 7 as bucket, 'name ' || g as name, array[g % 3, g % 5] as tags,
            timestamptz '2024-01-01' + g * interval '1 hour' as created_at
     from generate_series(1, 500) g`,
  );
});
afterAll(() => t?.cleanup());

const src = () => qualify(t.schema, 'src');
const model = (identifier: string) => ({ schema: t.schema, identifier });

const INDEXES = [
  { columns: ['id'], unique: true },
  { columns: ['bucket', 'created_at desc'] },
  { columns: ['name'], type: 'hash' },
  { columns: ['created_at'], type: 'brin' },
  { columns: ['tags'], type: 'gin' },
];

function summary(indexes: IndexInfo[]) {
  return indexes.map((i) => ({ name: i.name, method: i.method, unique: i.unique, columns: i.columns }));
}

describe('table models', () => {
  it('creates every declared index, deterministically named and marked, and keeps them across rebuilds', async () => {
    const spec = {
      name: 'indexed',
      materialized: 'table',
      sql: `select * from ${src()}`,
      config: { indexes: INDEXES },
    };
    await build(t.wh, t.schema, spec);
    const expected = readIndexes({ ...spec.config } as never, model('indexed')).map((s) => s.name);
    const first = await indexesOf(t.wh, t.schema, 'indexed');
    expect(first.map((i) => i.name).sort()).toEqual([...expected].sort());
    expect(summary(first)).toEqual(
      expect.arrayContaining([
        { name: expected[0], method: 'btree', unique: true, columns: ['id'] },
        { name: expected[1], method: 'btree', unique: false, columns: ['bucket', 'created_at'] },
        { name: expected[2], method: 'hash', unique: false, columns: ['name'] },
        { name: expected[3], method: 'brin', unique: false, columns: ['created_at'] },
        { name: expected[4], method: 'gin', unique: false, columns: ['tags'] },
      ]),
    );
    expect(first.find((i) => i.name === expected[1])!.definition).toMatch(/\(bucket, created_at DESC\)/);
    expect(first.every((i) => i.comment?.startsWith('martql:'))).toBe(true);
    expect(expected[0]).toMatch(/^indexed__id__[0-9a-f]{8}$/);

    const oid = async () =>
      (
        await t.wh.query<{ oid: number }>(
          `select '${qualify(t.schema, 'indexed')}'::regclass::oid::int8 as oid`,
        )
      ).rows[0].oid;
    const before = await oid();
    await build(t.wh, t.schema, spec);
    await build(t.wh, t.schema, spec);
    expect(await oid()).not.toBe(before);
    expect(summary(await indexesOf(t.wh, t.schema, 'indexed'))).toEqual(summary(first));
    expect(
      (await t.wh.listRelations(t.schema)).map((r) => r.name).filter((n) => n.includes('__dbt')),
    ).toEqual([]);
  });

  it('creates the indexes on the new table before the swap puts it in place', async () => {
    const spec = {
      name: 'ordered',
      materialized: 'table',
      sql: `select * from ${src()}`,
      config: { indexes: INDEXES.slice(0, 2) },
    };
    await build(t.wh, t.schema, spec);
    const result = await build(t.wh, t.schema, spec);
    const sqls = result.statements.map((s) => s.sql);
    const swap = sqls.findIndex((s) => /rename to "ordered"$/.test(s));
    const creates = sqls.map((s, i) => (/^create (unique )?index/.test(s) ? i : -1)).filter((i) => i >= 0);
    const analyze = sqls.findIndex((s) => s.startsWith('analyze'));
    expect(swap).toBeGreaterThan(0);
    expect(creates).toHaveLength(2);
    expect(Math.max(...creates, analyze)).toBeLessThan(swap);
  });

  it('fails before building anything on an unknown index type, naming the model and the type', async () => {
    const err = await failure(
      build(t.wh, t.schema, {
        name: 'bad_type',
        materialized: 'table',
        sql: `select * from ${src()}`,
        config: { indexes: [{ columns: ['id'], type: 'bitmap' }] },
      }),
    );
    expect(err).toBeInstanceOf(MartqlError);
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toBe(
      `${t.schema}.bad_type: indexes[0]: index type 'bitmap' is not supported (use btree, hash, gin, brin)`,
    );
    expect(await t.wh.getRelation(t.schema, 'bad_type')).toBeNull();
  });

  it('keeps the old table when a unique index does not hold for the new rows', async () => {
    const spec = (sql: string) => ({
      name: 'uniq',
      materialized: 'table',
      sql,
      config: { indexes: [{ columns: ['bucket'], unique: true }] },
    });
    await build(t.wh, t.schema, spec(`select distinct bucket from ${src()}`));
    const err = await failure(build(t.wh, t.schema, spec(`select bucket from ${src()}`)));
    expect(err.code).toBe('DATABASE');
    expect(err.message).toMatch(
      new RegExp(`^${t.schema}\\.uniq: the unique btree index on \\(bucket\\) declared`),
    );
    expect(await count(t.wh, t.schema, 'uniq')).toBe(7);
    expect(await indexesOf(t.wh, t.schema, 'uniq')).toHaveLength(1);
  });
});

describe('incremental models', () => {
  const incremental = (indexes: unknown[], sql = `select * from ${src()} where id <= 300`) => ({
    name: 'inc',
    materialized: 'incremental',
    sql: ({ isIncremental }: { isIncremental: boolean }) =>
      isIncremental ? `select * from ${src()} where id > 300` : sql,
    config: { unique_key: 'id', incremental_strategy: 'merge', indexes },
  });

  it('keeps the indexes across incremental runs without duplicating them, and follows config changes', async () => {
    const declared = [{ columns: ['id'], unique: true }, { columns: ['bucket'] }];
    await build(t.wh, t.schema, incremental(declared));
    const full = await indexesOf(t.wh, t.schema, 'inc');
    expect(full).toHaveLength(2);
    // A user's own index is none of MartQL's business.
    await t.wh.query(`create index inc_users_own on ${qualify(t.schema, 'inc')} (name)`);

    await build(t.wh, t.schema, incremental(declared));
    await build(t.wh, t.schema, incremental(declared));
    expect(await count(t.wh, t.schema, 'inc')).toBe(500);
    const after = await indexesOf(t.wh, t.schema, 'inc');
    expect(after.map((i) => i.name).sort()).toEqual([...full.map((i) => i.name), 'inc_users_own'].sort());

    // The config drops the bucket index and gains one on created_at.
    const changed = [
      { columns: ['id'], unique: true },
      { columns: ['created_at'], type: 'brin' },
    ];
    await build(t.wh, t.schema, incremental(changed));
    const names = (await indexesOf(t.wh, t.schema, 'inc')).map((i) => i.name).sort();
    const expected = readIndexes({ indexes: changed } as never, model('inc')).map((s) => s.name);
    expect(names).toEqual([...expected, 'inc_users_own'].sort());
    expect(names).not.toContain(full.find((i) => i.columns[0] === 'bucket')!.name);

    // A full refresh rebuilds the table with exactly the declared indexes, under the same names.
    await build(t.wh, t.schema, { ...incremental(changed), fullRefresh: true });
    expect((await indexesOf(t.wh, t.schema, 'inc')).map((i) => i.name).sort()).toEqual([...expected].sort());
  });
});

describe('index names', () => {
  it('depend on the spec only, and differ between specs', () => {
    const spec = (raw: unknown) => readIndexes({ indexes: [raw] } as never, model('m'))[0];
    const a = spec({ columns: ['a', 'b'] });
    expect(spec({ columns: ['a', 'b'], type: 'btree', unique: false }).name).toBe(a.name);
    expect(spec({ columns: ['a', 'b'], unique: true }).name).not.toBe(a.name);
    expect(spec({ columns: ['b', 'a'] }).name).not.toBe(a.name);
    expect(spec({ columns: ['a', 'b desc'] }).name).not.toBe(a.name);
    const long = indexName('m'.repeat(60), a);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(indexName('m'.repeat(60), a)).toBe(long);
  });
});

describePostgres('concurrent readers (Postgres)', () => {
  it('never see the model without its indexes while it is rebuilt', async () => {
    expect(DATABASE_URL).toBeDefined();
    const spec = {
      name: 'watched',
      materialized: 'table',
      sql: `select * from ${src()}`,
      config: { indexes: INDEXES },
    };
    await build(t.wh, t.schema, spec);
    const reader = await openTestWarehouse();
    const seen = new Set<number>();
    let stop = false;
    const watching = (async () => {
      while (!stop) {
        const { rows } = await reader.wh.query<{ n: number }>(
          `select count(*)::int as n from pg_indexes where schemaname = $1 and tablename = 'watched'`,
          [t.schema],
        );
        seen.add(rows[0].n);
      }
    })();
    try {
      for (let i = 0; i < 8; i++) await build(t.wh, t.schema, spec);
    } finally {
      stop = true;
      await watching;
      await reader.cleanup();
    }
    expect([...seen]).toEqual([INDEXES.length]);
  });
});
