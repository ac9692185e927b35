/**
 * Snapshot behaviours beyond the SCD2 reference: the query gaining and losing columns, switching
 * an existing snapshot to `hard_deletes: new_record`, the default snapshot time (the database's
 * clock), and the checks that refuse to write history into the wrong table.
 */
import { runProject } from '../../src/run/runner';
import type { RunSummary } from '../../src/run/types';
import { qualify } from '../../src/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

describe('snapshot behaviour', () => {
  // One warehouse for the file (opening PGlite is the slow part); each test has its own tables.
  let pw: ProjectWarehouse;
  const cleanups: (() => void)[] = [];
  let n = 0;
  let name: string;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
  });
  beforeEach(() => {
    n += 1;
    name = `s${n}`;
  });
  afterAll(async () => {
    for (const c of cleanups) c();
    await pw.cleanup();
  });

  /** A project whose snapshot reads `select ... from <name>_src` in the test schema. */
  function project(config: string, select = '*'): { run(): Promise<RunSummary> } {
    const p = tempProject({
      'snapshots/s.sql': `{% snapshot ${name} %}\n{{ config(${config}) }}\nselect ${select} from ${pw.schema}.${name}_src\n{% endsnapshot %}\n`,
    });
    cleanups.push(p.cleanup);
    return {
      run: () =>
        runProject({
          projectDir: p.dir,
          command: 'snapshot',
          warehouse: pw.wh,
          target: pw.target,
          stateSchema: pw.stateSchema,
          noParseCache: true,
        }),
    };
  }
  const src = () => qualify(pw.schema, `${name}_src`);
  const snap = () => qualify(pw.schema, name);
  /** `{T}` in `sql` is the snapshot table. */
  const rows = async (sql: string) => (await pw.wh.query(sql.replaceAll('{T}', snap()))).rows;
  const ok = (summary: RunSummary) => {
    expect(summary.results.map((r) => r.error?.message ?? r.status)).toEqual(['success']);
  };

  it('adds columns the query gained; versions after a column is gone hold null there', async () => {
    await pw.wh.query(`create table ${src()} as select 1 as id, 'a'::text as name`);
    const p = project("unique_key='id', strategy='check', check_cols='all'");
    ok(await p.run());
    await pw.wh.query(`alter table ${src()} add column tier int`);
    await pw.wh.query(`update ${src()} set tier = 7`);
    ok(await p.run());
    await pw.wh.query(`alter table ${src()} drop column name`);
    ok(await p.run());
    // Without `name` the row is unchanged by the columns the query still has; a change of tier counts.
    expect(await rows(`select count(*)::int as n from {T}`)).toEqual([{ n: 2 }]);
    await pw.wh.query(`update ${src()} set tier = 8`);
    ok(await p.run());
    expect(
      await rows(`select id, name, tier, dbt_valid_to is null as current from {T} order by dbt_valid_from`),
    ).toEqual([
      { id: 1, name: 'a', tier: null, current: false },
      { id: 1, name: 'a', tier: 7, current: false },
      { id: 1, name: null, tier: 8, current: true },
    ]);
    const columns = (await pw.wh.getColumns(pw.schema, name)).map((c) => `${c.name} ${c.dataType}`);
    expect(columns).toEqual([
      'id integer',
      'name text',
      'dbt_scd_id text',
      'dbt_updated_at timestamp without time zone',
      'dbt_valid_from timestamp without time zone',
      'dbt_valid_to timestamp without time zone',
      'tier integer',
    ]);
  });

  it('stamps versions with the database clock by default, one time per run', async () => {
    await pw.wh.query(`create table ${src()} as select g as id from generate_series(1, 5) g`);
    ok(await project("unique_key='id', strategy='check', check_cols='all'").run());
    const [stamp] = await rows(
      `select count(distinct dbt_valid_from)::int as times,
              max(extract(epoch from (now()::timestamp - dbt_valid_from)))::float8 as age
         from {T}`,
    );
    expect(stamp.times).toBe(1);
    expect(stamp.age).toBeGreaterThanOrEqual(0);
    expect(stamp.age).toBeLessThan(120);
  });

  it('switching to new_record adds dbt_is_deleted (False for existing rows) and marks deletes', async () => {
    await pw.wh.query(`create table ${src()} as select g as id from generate_series(1, 3) g`);
    ok(await project("unique_key='id', strategy='check', check_cols='all'").run());
    await pw.wh.query(`delete from ${src()} where id = 2`);
    ok(await project("unique_key='id', strategy='check', check_cols='all', hard_deletes='new_record'").run());
    expect(
      await rows(
        `select id, dbt_is_deleted, dbt_valid_to is null as current from {T} order by id, dbt_valid_from`,
      ),
    ).toEqual([
      { id: 1, dbt_is_deleted: 'False', current: true },
      { id: 2, dbt_is_deleted: 'False', current: false },
      { id: 2, dbt_is_deleted: 'True', current: true },
      { id: 3, dbt_is_deleted: 'False', current: true },
    ]);
  });

  it.each([
    [
      'a table that is not a snapshot',
      async () => pw.wh.query(`create table ${snap()} (id int)`),
      "unique_key='id', strategy='check', check_cols='all'",
      '*',
      /has no dbt_scd_id column, so it is not a snapshot table/,
    ],
    [
      'a query column named like a meta column',
      async () => undefined,
      "unique_key='id', strategy='check', check_cols='all'",
      'id, now() as dbt_valid_from',
      /column named dbt_valid_from, which is a snapshot meta column/,
    ],
    [
      'check columns the query lacks',
      async () => undefined,
      "unique_key='id', strategy='check', check_cols=['id', 'status']",
      '*',
      /check_cols status not in the query/,
    ],
    [
      'an updated_at column the query lacks',
      async () => undefined,
      "unique_key='id', strategy='timestamp', updated_at='modified'",
      '*',
      /updated_at column modified is not a column of the query/,
    ],
  ])('refuses %s, naming the snapshot', async (_case, setup, config, select, message) => {
    await pw.wh.query(`create table ${src()} as select 1 as id`);
    await setup();
    const summary = await project(config, select).run();
    const error = summary.results[0].error!;
    expect(error.code).toBe('PROJECT_CONFIG');
    expect(error.message.startsWith(`snapshot ${name}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.location?.file).toBe('snapshots/s.sql');
  });
});
