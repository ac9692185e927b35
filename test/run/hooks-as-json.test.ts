/**
 * Hooks handed to a config as JSON text. dbt's before_begin(), after_commit() and in_transaction()
 * are macros printing `tojson` of the hook, so a project macro that wraps one, or a `tojson` of a
 * hook dict, gives the config `{"sql": ..., "transaction": false}` as text; dbt reads it back into
 * a hook. MartQL must too, or it runs the JSON as SQL. A `vacuum` post-hook is the proof: Postgres
 * and PGlite refuse it inside the build's transaction.
 */
import { runProject } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

describe('hooks given as JSON text', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject({
      'dbt_project.yml': 'name: demo\nversion: "1.0"\nconfig-version: 2\n',
      'macros/hooks.sql': `
{% macro vacuum_after_commit() -%}
  {{ after_commit("vacuum analyze {{ this }}") }}
{%- endmacro %}
{% macro log_in_transaction(event) -%}
  {{ in_transaction("insert into {{ target.schema }}.hook_log values ('" ~ event ~ "', txid_current())") }}
{%- endmacro %}`,
      'models/wrapped.sql': `{{ config(materialized='table', post_hook=vacuum_after_commit()) }}
select 1 as x`,
      'models/dumped.sql': `{{ config(materialized='table',
    post_hook=tojson({'sql': 'vacuum analyze {{ this }}', 'transaction': False})) }}
select 1 as x`,
      'models/made.sql': `{{ config(materialized='table',
    pre_hook=[make_hook_config("vacuum analyze {{ this.schema }}.hook_log", inside_transaction=False),
              log_in_transaction('made')]) }}
select 1 as x`,
      // Jinja that merely starts with a brace is SQL.
      'models/plain.sql': `{{ config(materialized='table', post_hook="{{ 'select 1' }}") }}
select 1 as x`,
    });
    await pw.wh.query(`create table "${pw.schema}".hook_log (event text, tx bigint)`);
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  it('reads them back into hooks: the vacuums run after the commit, in_transaction inside', async () => {
    const summary = await runProject({
      projectDir: project.dir,
      command: 'run',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    });
    const results = [...summary.results].sort((x, y) => x.name.localeCompare(y.name));
    expect(results.map((r) => [r.name, r.status, r.error?.message])).toEqual([
      ['dumped', 'success', undefined],
      ['made', 'success', undefined],
      ['plain', 'success', undefined],
      ['wrapped', 'success', undefined],
    ]);
    const { rows } = await pw.wh.query<{ event: string }>(`select event from "${pw.schema}".hook_log`);
    expect(rows.map((r) => r.event)).toEqual(['made']);
  });
});
