/**
 * The example `custom_incremental` materialization's guards and column handling: rows that break
 * what the merge relies on (duplicate or null keys, no `_updated_at`, a column named like the ones
 * it adds) stop the run with an error naming the model and leave the table as it was; the model's
 * columns changing is handled as `on_schema_change` says; narrower string columns are widened.
 */
import { MartqlError } from '../../src/errors';
import type { NodeResult } from '../../src/run/types';
import { openCustomProject, type CustomProject } from './custom-project';

const model = (columns: string, config = '') =>
  `{{ config(materialized='custom_incremental', unique_key='id'${config}) }}\n` +
  `select ${columns} from {{ source('raw', 'items') }}\n`;

describe('custom_incremental guards and column changes', () => {
  let p: CustomProject;
  beforeAll(async () => {
    p = await openCustomProject({});
  });
  afterAll(() => p?.close());
  // Each case starts from the same first build of the same source.
  beforeEach(async () => {
    p.write('models/tracked.sql', model('id, name, _updated_at'));
    await p.pw.wh.query(`drop table if exists ${p.rel('tracked')}, ${p.rel('items')}`);
    await p.pw.wh.query(
      `create table ${p.rel('items')} (id int, name varchar(5), amount int, _updated_at timestamp)`,
    );
    await p.pw.wh.query(
      `insert into ${p.rel('items')} values (1, 'a', 10, '2024-01-01'), (2, 'b', 20, '2024-01-01')`,
    );
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'table', rowsAffected: 2 });
  });

  const tracked = () => p.rows(`select * from ${p.rel('tracked')} order by id`);
  const columns = async () =>
    (await p.pw.wh.getColumns(p.pw.schema, 'tracked')).map((c) => `${c.name} ${c.dataType}`);
  const failed = (result: NodeResult, message: RegExp): MartqlError => {
    expect(result.status).toBe('error');
    expect(result.error).toBeInstanceOf(MartqlError);
    expect(result.error!.message).toMatch(/^model tracked: /);
    expect(result.error!.message).toMatch(message);
    return result.error!;
  };

  it('refuses duplicate and null keys, a missing _updated_at and its own column names', async () => {
    const before = await tracked();
    await p.pw.wh.query(`insert into ${p.rel('items')} values (2, 'b2', 0, '2024-02-01')`);
    failed(
      await p.run(),
      /unique_key must be unique and not null in the model's rows, but id = 2 appears 2 time\(s\)/,
    );
    await p.pw.wh.query(`delete from ${p.rel('items')} where name = 'b2'`);
    await p.pw.wh.query(`insert into ${p.rel('items')} values (null, 'n', 0, '2024-02-01')`);
    failed(await p.run(), /but id = null appears 1 time\(s\)/);
    await p.pw.wh.query(`delete from ${p.rel('items')} where id is null`);

    p.write('models/tracked.sql', model('id, name'));
    failed(
      await p.run(),
      /custom_incremental needs a column _updated_at in the model's rows, which have id, name/,
    );
    p.write('models/tracked.sql', model('id, name, _updated_at, false as _is_deleted'));
    failed(await p.run(), /the model returns a column _is_deleted, which custom_incremental adds itself/);
    p.write('models/tracked.sql', model('id, name, _updated_at', ", unique_key=['id', 'nope']"));
    failed(await p.run(), /needs a column nope/);
    expect(await tracked()).toEqual(before);
    // A full refresh checks too: nothing is swapped in.
    p.write('models/tracked.sql', model('id, name'));
    failed(await p.run({ fullRefresh: true }), /needs a column _updated_at/);
    expect(await tracked()).toEqual(before);
  });

  it('ignores new columns by default, and fails on them when asked to', async () => {
    p.write('models/tracked.sql', model('id, name, amount, _updated_at'));
    await p.pw.wh.query(`update ${p.rel('items')} set name = 'a2', _updated_at = '2024-02-01' where id = 1`);
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'incremental', rowsAffected: 1 });
    expect(await columns()).toEqual([
      'id integer',
      'name character varying(5)',
      '_updated_at timestamp without time zone',
      '_is_deleted boolean',
      '_deleted_at timestamp with time zone',
    ]);
    expect((await tracked()).map((r) => r.name)).toEqual(['a2', 'b']);

    p.write('models/tracked.sql', model('id, name, amount, _updated_at', ", on_schema_change='fail'"));
    const error = failed(
      await p.run(),
      /no longer match the table \(on_schema_change: fail\): added \[amount\], removed \[\], retyped \[\]/,
    );
    expect(error.code).toBe('COMPILER_ERROR');
  });

  it('appends new columns: rows written from now on fill them', async () => {
    p.write(
      'models/tracked.sql',
      model('id, name, amount, _updated_at', ", on_schema_change='append_new_columns'"),
    );
    await p.pw.wh.query(`update ${p.rel('items')} set amount = 11, _updated_at = '2024-02-01' where id = 1`);
    await p.pw.wh.query(`insert into ${p.rel('items')} values (3, 'c', 30, '2024-02-01')`);
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'incremental', rowsAffected: 2 });
    expect(await columns()).toContain('amount integer');
    expect((await tracked()).map((r) => [r.id, r.amount])).toEqual([
      [1, 11],
      [2, null],
      [3, 30],
    ]);
  });

  it('syncs all columns: added, dropped and retyped', async () => {
    p.write(
      'models/tracked.sql',
      model(
        "id, amount, cast(id as text) || 'x' as code, _updated_at",
        ", on_schema_change='sync_all_columns'",
      ),
    );
    await p.pw.wh.query(`update ${p.rel('items')} set _updated_at = '2024-02-01'`);
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'incremental', rowsAffected: 2 });
    expect(await columns()).toEqual([
      'id integer',
      '_updated_at timestamp without time zone',
      '_is_deleted boolean',
      '_deleted_at timestamp with time zone',
      'amount integer',
      'code text',
    ]);
    p.write(
      'models/tracked.sql',
      model('id, cast(amount as bigint) as amount, _updated_at', ", on_schema_change='sync_all_columns'"),
    );
    await p.pw.wh.query(`update ${p.rel('items')} set _updated_at = '2024-03-01', amount = amount + 1`);
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'incremental', rowsAffected: 2 });
    expect(await columns()).toContain('amount bigint');
    expect(await columns()).not.toContain('code text');
    expect((await tracked()).map((r) => [r.id, String(r.amount)])).toEqual([
      [1, '11'],
      [2, '21'],
    ]);
  });

  it('widens string columns when the model’s values grow longer', async () => {
    await p.pw.wh.query(`alter table ${p.rel('items')} alter column name type varchar(20)`);
    await p.pw.wh.query(
      `update ${p.rel('items')} set name = 'a much longer name', _updated_at = '2024-02-01' where id = 1`,
    );
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'incremental', rowsAffected: 1 });
    expect(await columns()).toContain('name character varying(20)');
    expect((await tracked())[0].name).toBe('a much longer name');
  });

  it('rebuilds on every run when the full_refresh config says so', async () => {
    p.write('models/tracked.sql', model('id, name, _updated_at', ', full_refresh=true'));
    await p.pw.wh.query(`delete from ${p.rel('items')} where id = 2`);
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'table', rowsAffected: 1 });
    expect((await tracked()).map((r) => [r.id, r._is_deleted])).toEqual([[1, false]]);
  });
});
