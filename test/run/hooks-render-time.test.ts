/**
 * A hook is rendered when it runs, as dbt renders it: Jinja in a post-hook that reads the relation
 * (`run_query('select count(*) from ' ~ this)`, `adapter.get_columns_in_relation(this)`) sees what
 * the build has just made, on a first build too, through the build's own transaction (a hook
 * inside it) or after the commit (a `transaction: false` hook). A hook whose Jinja fails fails its
 * node, named by the hook, and rolls the build back.
 */
import * as path from 'node:path';
import type { MartqlError } from '../../src/errors';
import type { RunRequest } from '../../src/run/runner';
import type { NodeResult } from '../../src/run/types';
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import { MACROS } from './hooks-fixtures';

const TSMODEL = path.resolve(__dirname, '..', '..', 'src', 'tsmodel');

/** `audit_count` records the relation's row count, `audit_columns` its column names, as the hook sees them. */
const AUDIT_MACROS = `
{% macro audit_count(relation) -%}
  {%- set n = run_query('select count(*) from ' ~ relation).columns[0].values()[0] -%}
  insert into {{ target.schema }}.audit (model, n) values ('{{ relation.identifier }}', {{ n }})
{%- endmacro %}

{% macro audit_columns(relation) -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    insert into {{ target.schema }}.audit_columns (model, col) values ('{{ relation.identifier }}', '{{ column.name }}');
  {% endfor -%}
{%- endmacro %}

{% materialization hook_text_table, default %}
  {% call statement('main') %}{{ create_table_as(False, this, sql) }}{% endcall %}
  {% call statement('hook_text') %}
    insert into {{ target.schema }}.audit_columns (model, col) values ('{{ this.identifier }}', $hook\${{ post_hooks[0].sql }}$hook$)
  {% endcall %}
  {{ run_hooks(post_hooks) }}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
`;

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nversion: "1.0"\nconfig-version: 2\n',
  'macros/hooks.sql': MACROS,
  'macros/audit.sql': AUDIT_MACROS,
  'models/t_count.sql': `{{ config(materialized='table', post_hook="{{ audit_count(this) }}") }}
select generate_series(1, 3) as id`,
  'models/t_comments.sql': `{{ config(materialized='table', post_hook="
  {%- for column in adapter.get_columns_in_relation(this) -%}
    comment on column {{ this }}.{{ column.quoted }} is 'seen by the post-hook';
  {% endfor -%}") }}
select 1 as id, 'a'::text as label`,
  'models/inc.sql': `{{ config(materialized='incremental',
    post_hook=["{{ audit_count(this) }}", "{{ audit_columns(this) }}",
               "insert into {{ target.schema }}.audit_columns (model, col) values ('inc_flag', '{{ is_incremental() }}')"]) }}
select id from generate_series(1, {{ var('n', 2) }}) as g (id)
{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}`,
  'models/events.sql': `{{ config(materialized='table', event_time='ts') }}
select id, timestamp '2024-06-01' + (id || ' months')::interval as ts from generate_series(1, 3) as g (id)`,
  'models/mb.sql': `{{ config(materialized='incremental', incremental_strategy='microbatch',
    event_time='ts', batch_size='year', begin='2024-01-01', post_hook="{{ audit_count(this) }}") }}
select id, ts from {{ ref('events') }}`,
  'models/custom.sql': `{{ config(materialized='logged_table', post_hook="{{ audit_count(this) }}") }}
select generate_series(1, 4) as id`,
  'models/custom_text.sql': `{{ config(materialized='hook_text_table', post_hook="{{ audit_count(this) }}") }}
select 1 as id`,
  'models/after.sql': `{{ config(materialized='table', post_hook=after_commit("{{ audit_count(this) }}")) }}
select generate_series(1, 5) as id`,
  'models/broken.sql': `{{ config(materialized='table',
    post_hook=["{{ audit_count(this) }}", "{% if var('break', false) %}{{ no_such_macro(this) }}{% endif %}"]) }}
select {{ var('v', 1) }} as v`,
  'models/outside_broken.sql': `{{ config(materialized='table', pre_hook=before_begin("{{ audit_cont(this) }}")) }}
select 1 as v`,
  'models/m_ts.ts': [
    `import { defineModel } from ${JSON.stringify(TSMODEL)};`,
    'export default defineModel({',
    "  columns: { v: 'integer' },",
    "  config: { post_hook: ['{{ audit_count(this) }}'] },",
    '  async run() { return [{ v: 1 }, { v: 2 }]; },',
    '});',
  ].join('\n'),
  'seeds/s.csv': 'id\n1\n2\n3\n',
  'seeds/schema.yml': `
version: 2
seeds:
  - name: s
    config:
      post_hook: ["{{ audit_count(this) }}", "{{ audit_columns(this) }}"]
`,
  'snapshots/snap.sql': `{% snapshot snap %}
{{ config(unique_key='id', strategy='check', check_cols='all', post_hook="{{ audit_count(this) }}") }}
select generate_series(1, 2) as id
{% endsnapshot %}`,
};

describe('hooks rendered when they run', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject(FILES);
    await pw.wh.query(`create table "${pw.schema}".audit (seq serial primary key, model text, n bigint)`);
    await pw.wh.query(
      `create table "${pw.schema}".audit_columns (seq serial primary key, model text, col text)`,
    );
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  const only = async (extra: Partial<RunRequest>): Promise<NodeResult> => {
    const summary = await runOn(pw, project.dir, { ...extra });
    expect(summary.results).toHaveLength(1);
    return summary.results[0];
  };

  /** The counts the hooks recorded for a model, in order. */
  const counts = async (model: string): Promise<number[]> => {
    const { rows } = await pw.wh.query<{ n: string }>(
      `select n::text as n from "${pw.schema}".audit where model = $1 order by seq`,
      [model],
    );
    return rows.map((r) => Number(r.n));
  };
  /** The column names the hooks recorded for a model, in order. */
  const columns = async (model: string): Promise<string[]> => {
    const { rows } = await pw.wh.query<{ col: string }>(
      `select col from "${pw.schema}".audit_columns where model = $1 order by seq`,
      [model],
    );
    return rows.map((r) => r.col);
  };

  it("a table's post-hook counts the rows of the table it follows, on the first build", async () => {
    expect(await only({ select: ['t_count'] })).toMatchObject({ status: 'success' });
    expect(await counts('t_count')).toEqual([3]);
  });

  it("a post-hook looping over the relation's columns sees them on the first build", async () => {
    expect(await only({ select: ['t_comments'] })).toMatchObject({ status: 'success' });
    const { rows } = await pw.wh.query<{ attname: string; description: string }>(
      `select a.attname, d.description
       from pg_catalog.pg_description d
       join pg_catalog.pg_attribute a on a.attrelid = d.objoid and a.attnum = d.objsubid
       where d.objoid = $1::regclass order by a.attnum`,
      [`"${pw.schema}".t_comments`],
    );
    expect(rows).toEqual([
      { attname: 'id', description: 'seen by the post-hook' },
      { attname: 'label', description: 'seen by the post-hook' },
    ]);
  });

  it("an incremental model's post-hooks see the table: built, then with the new rows merged in", async () => {
    expect(await only({ select: ['inc'] })).toMatchObject({ status: 'success', kind: 'full' });
    expect(await only({ select: ['inc'], vars: { n: 5 } })).toMatchObject({
      status: 'success',
      kind: 'append',
      rowsAffected: 3,
    });
    expect(await counts('inc')).toEqual([2, 5]);
    expect(await columns('inc')).toEqual(['id', 'id']);
    // is_incremental() in a hook answers what the build decided as it started, as before.
    expect(await columns('inc_flag')).toEqual(['False', 'True']);
  });

  it("a microbatch model's post-hook runs once, after the last batch, and sees every batch's rows", async () => {
    expect(await only({ select: ['events'] })).toMatchObject({ status: 'success' });
    const result = await only({ select: ['mb'] });
    expect(result).toMatchObject({ status: 'success' });
    expect(await counts('mb')).toEqual([3]);
  });

  it("a snapshot's post-hook sees the snapshot table it has just created", async () => {
    expect(await only({ command: 'snapshot', select: ['snap'] })).toMatchObject({ status: 'success' });
    expect(await counts('snap')).toEqual([2]);
  });

  it("a seed's post-hooks see the loaded rows and columns", async () => {
    expect(await only({ command: 'seed', select: ['s'] })).toMatchObject({ status: 'success' });
    expect(await counts('s')).toEqual([3]);
    expect(await columns('s')).toEqual(['id']);
  });

  it("a TypeScript model's post-hook sees its rows", async () => {
    expect(await only({ select: ['m_ts'] })).toMatchObject({ status: 'success' });
    expect(await counts('m_ts')).toEqual([2]);
  });

  it('a custom materialization: run_hooks renders each hook when it runs it', async () => {
    expect(await only({ select: ['custom'] })).toMatchObject({ status: 'success' });
    expect(await counts('custom')).toEqual([4]);
  });

  it("a custom materialization's post_hooks hold the hook's Jinja, as dbt's do", async () => {
    expect(await only({ select: ['custom_text'] })).toMatchObject({ status: 'success' });
    expect(await columns('custom_text')).toEqual(['{{ audit_count(this) }}']);
    expect(await counts('custom_text')).toEqual([1]);
  });

  it('a transaction: false post-hook renders after the commit and sees the committed table', async () => {
    expect(await only({ select: ['after'] })).toMatchObject({ status: 'success' });
    expect(await counts('after')).toEqual([5]);
  });

  it('a hook whose Jinja fails fails the node, names the hook and keeps the old data', async () => {
    expect(await only({ select: ['broken'] })).toMatchObject({ status: 'success' });
    const result = await only({ select: ['broken'], vars: { v: 2, break: true } });
    expect(result.status).toBe('error');
    const error = result.error as MartqlError;
    expect(error.message).toMatch(/^models\/broken\.sql \(post-hook 2\) failed: .*no_such_macro/);
    expect(error.code).toBe('UNKNOWN_MACRO');
    expect(error.location?.file).toMatch(/^models\/broken\.sql/);
    expect(error.data).toMatchObject({ hook: 'models/broken.sql (post-hook 2)' });
    // Rolled back: the first post-hook's audit row of the failed build and the new table.
    expect(await counts('broken')).toEqual([1]);
    const { rows } = await pw.wh.query(`select v from "${pw.schema}".broken`);
    expect(rows).toEqual([{ v: 1 }]);
  });

  it("a transaction: false hook whose Jinja fails keeps the Jinja error's place and hint", async () => {
    const result = await only({ select: ['outside_broken'] });
    expect(result.status).toBe('error');
    const error = result.error as MartqlError;
    expect(error.message).toMatch(/^models\/outside_broken\.sql \(pre-hook 1\), which runs outside/);
    expect(error.location).toMatchObject({ file: 'models/outside_broken.sql (pre-hook 1)', line: 1 });
    expect(error.location?.column).toBeGreaterThan(0);
    expect(error.hint).toMatch(/did you mean 'audit_count'\?.*nothing was built/);
  });
});
