/**
 * Ways of declaring a hook that runs outside the build's transaction, each proven by a `vacuum`
 * post-hook, which Postgres and PGlite refuse inside a transaction block: `{sql, transaction: false}`
 * objects in dbt_project.yml and YAML (no Jinja helpers), and hooks handed to a config as JSON text.
 * dbt's before_begin(), after_commit() and in_transaction() are macros printing `tojson` of the
 * hook, so a project macro that wraps one, or a `tojson` of a hook dict, gives the config
 * `{"sql": ..., "transaction": false}` as text; dbt reads it back into a hook, and MartQL must too,
 * or it runs the JSON as SQL.
 */
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import { MACROS } from './hooks-fixtures';

/** `martql run` of the whole project: each node's name, status and error message, by name. */
async function runAll(projectDir: string, pw: ProjectWarehouse): Promise<unknown[][]> {
  const summary = await runOn(pw, projectDir);
  return [...summary.results]
    .sort((x, y) => x.name.localeCompare(y.name))
    .map((r) => [r.name, r.status, r.error?.message]);
}

describe('a vacuum post-hook with transaction: false, declared without the Jinja helpers', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject({
      'dbt_project.yml': `
name: demo
version: "1.0"
config-version: 2
models:
  demo:
    from_project:
      +materialized: table
      +post-hook:
        - sql: "vacuum analyze {{ this }}"
          transaction: false
`,
      'macros/block.sql': MACROS,
      'models/from_project/a.sql': 'select 1 as x',
      'models/from_yaml/b.sql': "{{ config(materialized='table') }} select 1 as x",
      // The pre-hook vacuums a, so c waits for it.
      'models/from_yaml/c.sql':
        "-- depends_on: {{ ref('a') }}\n{{ config(materialized='logged_table') }} select 1 as x",
      'models/from_yaml/schema.yml': `
version: 2
models:
  - name: b
    config:
      post_hook: [{sql: "vacuum analyze {{ this }}", transaction: false}]
  - name: c
    config:
      pre_hook: [{sql: "vacuum analyze {{ this.schema }}.a", transaction: false}]
      post_hook: [{sql: "vacuum analyze {{ this }}", transaction: false}]
`,
    });
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  it('runs after the commit, where Postgres allows it (dbt_project.yml, YAML config, a custom materialization)', async () => {
    expect(await runAll(project.dir, pw)).toEqual([
      ['a', 'success', undefined],
      ['b', 'success', undefined],
      ['c', 'success', undefined],
    ]);
  });
});

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
    expect(await runAll(project.dir, pw)).toEqual([
      ['dumped', 'success', undefined],
      ['made', 'success', undefined],
      ['plain', 'success', undefined],
      ['wrapped', 'success', undefined],
    ]);
    const { rows } = await pw.wh.query<{ event: string }>(`select event from "${pw.schema}".hook_log`);
    expect(rows.map((r) => r.event)).toEqual(['made']);
  });
});
