/**
 * A project's own `{% materialization incremental %}` (a root project may override a built-in):
 * `is_incremental()` answers as in dbt, in the model's SQL the block receives and in the block
 * itself: false on the first build and on a full refresh, true once the table exists. With false
 * every run, a block that appends `sql` re-inserted every row on each run.
 */
import type { RunRequest } from '../../src/run/runner';
import type { NodeResult } from '../../src/run/types';
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nversion: "1.0"\nconfig-version: 2\n',
  'macros/incremental.sql': `
{% materialization incremental, default %}
  {% call statement('flag') %}
    insert into {{ target.schema }}.seen (flag) values ('{{ is_incremental() }}')
  {% endcall %}
  {% if is_incremental() %}
    {% call statement('main') %}insert into {{ this }} {{ sql }}{% endcall %}
  {% else %}
    {% call statement('drop') %}drop table if exists {{ this }}{% endcall %}
    {% call statement('main') %}{{ create_table_as(False, this, sql) }}{% endcall %}
  {% endif %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}`,
  'models/inc.sql': `{{ config(materialized='incremental') }}
select id from generate_series(1, {{ var('n', 2) }}) as g (id)
{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}`,
};

describe("a project's own incremental materialization", () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject(FILES);
    await pw.wh.query(`create table "${pw.schema}".seen (seq serial primary key, flag text)`);
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  const run = async (extra: Partial<RunRequest>): Promise<NodeResult> => {
    const summary = await runOn(pw, project.dir, { ...extra });
    expect(summary.results.map((r) => [r.name, r.status, r.error?.message])).toEqual([
      ['inc', 'success', undefined],
    ]);
    return summary.results[0];
  };
  const ids = async () =>
    (await pw.wh.query<{ id: number }>(`select id from "${pw.schema}".inc order by id`)).rows.map(
      (r) => r.id,
    );
  const flags = async () =>
    (await pw.wh.query<{ flag: string }>(`select flag from "${pw.schema}".seen order by seq`)).rows.map(
      (r) => r.flag,
    );

  it('gets the filtered SQL once the table exists, and the full SQL on a full refresh', async () => {
    await run({ vars: { n: 2 } });
    expect(await ids()).toEqual([1, 2]);
    await run({ vars: { n: 5 } });
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
    await run({ vars: { n: 3 }, fullRefresh: true });
    expect(await ids()).toEqual([1, 2, 3]);
    expect(await flags()).toEqual(['False', 'True', 'False']);
  });
});
