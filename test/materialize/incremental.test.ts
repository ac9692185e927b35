import { planIncremental, readIncrementalSettings } from '../../src/materialize';
import { chooseMergeMethod, mergeStatements } from '../../src/materialize/incremental/merge';
import { diffColumns, planSchemaChange } from '../../src/materialize/schema-change';
import type { NodeConfig } from '../../src/project/types';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, count, failure, multiset, relations, type ModelSpec } from './helpers';

const cfg = (extra: Record<string, unknown>): NodeConfig => ({
  enabled: true,
  materialized: 'incremental',
  tags: [],
  meta: {},
  pre_hook: [],
  post_hook: [],
  ...extra,
});
const model = { schema: 's', identifier: 'm' };

describe('planning (pure)', () => {
  it('is incremental only for an existing table without a full refresh', () => {
    expect(planIncremental({ existing: null, fullRefreshFlag: false })).toEqual({
      mode: 'full',
      reason: 'first_build',
    });
    expect(planIncremental({ existing: 'view', fullRefreshFlag: false })).toEqual({
      mode: 'full',
      reason: 'not_a_table',
    });
    expect(planIncremental({ existing: 'table', fullRefreshFlag: true })).toEqual({
      mode: 'full',
      reason: 'full_refresh_flag',
    });
    expect(planIncremental({ existing: 'table', fullRefreshFlag: true, fullRefreshConfig: false })).toEqual({
      mode: 'incremental',
    });
    expect(planIncremental({ existing: 'table', fullRefreshFlag: false, fullRefreshConfig: true })).toEqual({
      mode: 'full',
      reason: 'full_refresh_config',
    });
    expect(planIncremental({ existing: 'table', fullRefreshFlag: false })).toEqual({ mode: 'incremental' });
  });

  it('defaults like dbt-postgres and rejects unknown values naming the accepted ones', () => {
    expect(readIncrementalSettings(cfg({}), model).strategy).toBe('append');
    expect(readIncrementalSettings(cfg({ unique_key: 'id' }), model).strategy).toBe('delete+insert');
    expect(readIncrementalSettings(cfg({ unique_key: 'a, b' }), model).uniqueKey).toEqual(['a', 'b']);
    expect(() => readIncrementalSettings(cfg({ incremental_strategy: 'upsert' }), model)).toThrow(
      /incremental_strategy 'upsert' is not one of append, merge, delete\+insert, microbatch/,
    );
    expect(() => readIncrementalSettings(cfg({ on_schema_change: 'sync' }), model)).toThrow(
      /on_schema_change/,
    );
    expect(() => readIncrementalSettings(cfg({ incremental_strategy: 'microbatch' }), model)).toThrow(
      /event_time/,
    );
  });

  it('chooses ON CONFLICT, MERGE or UPDATE+INSERT', () => {
    const base = {
      serverVersionNum: 150000,
      uniqueIndex: null,
      nullSafe: false,
      keyNullable: true,
      hasPredicates: false,
    };
    expect(chooseMergeMethod(base)).toBe('merge');
    expect(chooseMergeMethod({ ...base, serverVersionNum: 140000 })).toBe('update_insert');
    expect(chooseMergeMethod({ ...base, uniqueIndex: { nullsNotDistinct: false } })).toBe('on_conflict');
    // A null-safe key on a nullable column cannot use an index that treats NULLs as distinct.
    expect(chooseMergeMethod({ ...base, uniqueIndex: { nullsNotDistinct: false }, nullSafe: true })).toBe(
      'merge',
    );
    expect(
      chooseMergeMethod({
        ...base,
        uniqueIndex: { nullsNotDistinct: false },
        nullSafe: true,
        keyNullable: false,
      }),
    ).toBe('on_conflict');
    expect(
      chooseMergeMethod({ ...base, uniqueIndex: { nullsNotDistinct: false }, hasPredicates: true }),
    ).toBe('merge');
  });

  it('shows the SQL of each merge method', () => {
    const ctx = {
      target: '"s"."m"',
      source: '"pg_temp_1"."m__dbt_tmp"',
      columns: ['id', 'v'],
      settings: readIncrementalSettings(cfg({ unique_key: 'id', null_safe_unique_key: true }), model),
    };
    expect(mergeStatements('merge', ctx)).toEqual([
      'merge into "s"."m" as DBT_INTERNAL_DEST using "pg_temp_1"."m__dbt_tmp" as DBT_INTERNAL_SOURCE ' +
        'on (DBT_INTERNAL_DEST."id" is not distinct from DBT_INTERNAL_SOURCE."id") ' +
        'when matched then update set "v" = DBT_INTERNAL_SOURCE."v" ' +
        'when not matched then insert ("id", "v") values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."v")',
    ]);
    expect(mergeStatements('on_conflict', ctx)).toEqual([
      'insert into "s"."m" as DBT_INTERNAL_DEST ("id", "v") select "id", "v" from "pg_temp_1"."m__dbt_tmp" ' +
        'on conflict ("id") do update set "v" = excluded."v"',
    ]);
    expect(mergeStatements('update_insert', ctx)).toHaveLength(2);
  });

  it('plans schema changes per mode', () => {
    const col = (name: string, dataType = 'integer') => ({ name, dataType, ordinal: 0, nullable: true });
    const target = [col('id'), col('a'), col('b')];
    const source = [col('id'), col('a', 'text'), col('c')];
    const diff = diffColumns(source, target);
    expect(diff).toEqual({
      added: [col('c')],
      removed: [col('b')],
      changed: [{ name: 'a', from: 'integer', to: 'text' }],
    });
    expect(() => planSchemaChange('fail', diff, target, 'm')).toThrow(
      /new columns: "c".*removed columns: "b".*"a" integer -> text/,
    );
    expect(() => planSchemaChange('ignore', diff, target, 'm')).toThrow(/removed columns: "b"/);
    expect(planSchemaChange('append_new_columns', diff, target, 'm')).toEqual({
      alterations: ['add column "c" integer'],
      columns: ['id', 'a', 'c'],
    });
    expect(planSchemaChange('sync_all_columns', diff, target, 'm').alterations).toEqual([
      'add column "c" integer',
      'drop column "b"',
      'alter column "a" type text using "a"::text',
    ]);
  });
});

describe('incremental models on a warehouse', () => {
  let t: TestWarehouse;
  beforeAll(async () => {
    t = await openTestWarehouse();
  });
  afterAll(() => t?.cleanup());
  const q = (name: string) => qualify(t.schema, name);

  it('compiles with is_incremental() only when the table exists and no full refresh applies', async () => {
    const seen: boolean[] = [];
    const spec: ModelSpec = {
      name: 'flags',
      materialized: 'incremental',
      sql: ({ isIncremental }) => {
        seen.push(isIncremental);
        return 'select 1 as id';
      },
    };
    expect((await build(t.wh, t.schema, spec)).kind).toBe('full');
    expect((await build(t.wh, t.schema, spec)).kind).toBe('append');
    expect((await build(t.wh, t.schema, { ...spec, fullRefresh: true })).kind).toBe('full');
    expect(
      (await build(t.wh, t.schema, { ...spec, fullRefresh: true, config: { full_refresh: false } })).kind,
    ).toBe('append');
    expect(seen).toEqual([false, true, false, true]);
    expect(await count(t.wh, t.schema, 'flags')).toBe(2);
    // A view in the model's place is replaced by a table.
    await t.wh.query(`create view ${q('was_view')} as select 1 as id`);
    expect((await build(t.wh, t.schema, { ...spec, name: 'was_view' })).kind).toBe('full');
    expect((await t.wh.getRelation(t.schema, 'was_view'))?.type).toBe('table');
  });

  it('reports inserted plus updated rows', async () => {
    const spec = (sql: string): ModelSpec => ({
      name: 'counted',
      materialized: 'incremental',
      config: { incremental_strategy: 'merge', unique_key: 'id' },
      sql,
    });
    expect(
      (await build(t.wh, t.schema, spec(`select 1 as id, 'a' as v union all select 2, 'b'`))).rowsAffected,
    ).toBe(2);
    const result = await build(t.wh, t.schema, spec(`select 2 as id, 'B' as v union all select 3, 'c'`));
    expect(result).toMatchObject({ kind: 'incremental', rowsAffected: 2 });
    expect(await multiset(t.wh, t.schema, 'counted')).toEqual([
      '{"id":1,"v":"a"}',
      '{"id":2,"v":"B"}',
      '{"id":3,"v":"c"}',
    ]);
  });

  it('a failing incremental run leaves the table as it was (rows and columns)', async () => {
    const spec: ModelSpec = {
      name: 'safe_inc',
      materialized: 'incremental',
      config: { unique_key: 'id', on_schema_change: 'sync_all_columns' },
      sql: `select 1 as id, 10 as v`,
    };
    await build(t.wh, t.schema, spec);
    await expect(
      build(t.wh, t.schema, {
        ...spec,
        sql: `select 1 as id, 20 as v, 'new' as extra`,
        postHooks: ['select 1/0'],
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await multiset(t.wh, t.schema, 'safe_inc')).toEqual(['{"id":1,"v":10}']);
    expect((await relations(t.wh, t.schema)).filter((r) => r.includes('__dbt'))).toEqual([]);
  });

  describe('unique_key null-safety', () => {
    const rows = `select null::int as id, 'no key' as v union all select 1, 'one'`;
    it.each(['merge', 'delete+insert'])('%s: NULL keys duplicate by default, as in dbt', async (strategy) => {
      const name = `nulls_${strategy.replace('+', '_')}`;
      const spec: ModelSpec = {
        name,
        materialized: 'incremental',
        config: { incremental_strategy: strategy, unique_key: 'id' },
        sql: rows,
      };
      for (let i = 0; i < 3; i++) await build(t.wh, t.schema, spec);
      // Every run re-inserts the NULL-keyed row: NULL = NULL is not true.
      expect(await count(t.wh, t.schema, name)).toBe(4);
      expect(
        (await count(t.wh, t.schema, name)) - (await multiset(t.wh, t.schema, name, 'distinct id')).length,
      ).toBe(2);
    });

    it.each(['merge', 'delete+insert'])('%s: null_safe_unique_key matches NULL keys', async (strategy) => {
      const name = `nullsafe_${strategy.replace('+', '_')}`;
      const spec: ModelSpec = {
        name,
        materialized: 'incremental',
        config: { incremental_strategy: strategy, unique_key: ['id'], null_safe_unique_key: true },
        sql: rows,
      };
      for (let i = 0; i < 3; i++) await build(t.wh, t.schema, spec);
      expect(await multiset(t.wh, t.schema, name)).toEqual([
        '{"id":1,"v":"one"}',
        '{"id":null,"v":"no key"}',
      ]);
    });
  });

  describe('on_schema_change', () => {
    const v1 = `select 1 as id, 10 as a, 100 as b`;
    const v2 = `select 2 as id, 'twenty' as a, 'c2' as c`; // a retyped, b removed, c added
    const columns = async (name: string) =>
      (await t.wh.getColumns(t.schema, name)).map((c) => `${c.name}:${c.dataType}`);

    it('ignore keeps the columns, and fails naming a column the SQL no longer produces', async () => {
      const spec: ModelSpec = { name: 'osc_ignore', materialized: 'incremental', sql: v1 };
      await build(t.wh, t.schema, spec);
      await build(t.wh, t.schema, { ...spec, sql: `select 2 as id, 20 as a, 200 as b, 'x' as c` });
      expect(await columns('osc_ignore')).toEqual(['id:integer', 'a:integer', 'b:integer']);
      expect(await count(t.wh, t.schema, 'osc_ignore')).toBe(2);
      await expect(build(t.wh, t.schema, { ...spec, sql: `select 3 as id, 30 as a` })).rejects.toThrow(
        /removed columns: "b"/,
      );
    });

    it('fail names the added, removed and retyped columns and changes nothing', async () => {
      const spec: ModelSpec = {
        name: 'osc_fail',
        materialized: 'incremental',
        config: { on_schema_change: 'fail' },
        sql: v1,
      };
      await build(t.wh, t.schema, spec);
      const err = await failure(build(t.wh, t.schema, { ...spec, sql: v2 }));
      expect(err.message).toMatch(
        /new columns: "c" \(text\); removed columns: "b"; changed types: "a" integer -> text/,
      );
      expect(await columns('osc_fail')).toEqual(['id:integer', 'a:integer', 'b:integer']);
      expect(await count(t.wh, t.schema, 'osc_fail')).toBe(1);
    });

    it('append_new_columns adds new columns and keeps removed ones (NULL in new rows)', async () => {
      const spec: ModelSpec = {
        name: 'osc_append',
        materialized: 'incremental',
        config: { on_schema_change: 'append_new_columns' },
        sql: v1,
      };
      await build(t.wh, t.schema, spec);
      await build(t.wh, t.schema, { ...spec, sql: `select 2 as id, 20 as a, 'c2' as c` });
      expect(await columns('osc_append')).toEqual(['id:integer', 'a:integer', 'b:integer', 'c:text']);
      expect(await multiset(t.wh, t.schema, 'osc_append')).toEqual([
        '{"id":1,"a":10,"b":100,"c":null}',
        '{"id":2,"a":20,"b":null,"c":"c2"}',
      ]);
    });

    it('sync_all_columns adds, drops and retypes columns', async () => {
      const spec: ModelSpec = {
        name: 'osc_sync',
        materialized: 'incremental',
        config: { on_schema_change: 'sync_all_columns' },
        sql: v1,
      };
      await build(t.wh, t.schema, spec);
      await build(t.wh, t.schema, { ...spec, sql: v2 });
      expect(await columns('osc_sync')).toEqual(['id:integer', 'a:text', 'c:text']);
      expect(await multiset(t.wh, t.schema, 'osc_sync')).toEqual([
        '{"id":1,"a":"10","c":null}',
        '{"id":2,"a":"twenty","c":"c2"}',
      ]);
    });
  });
});
