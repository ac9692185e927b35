/**
 * A `{% materialization %}` block runs with the context dbt gives it — `config`, `this`, `sql`,
 * `model`, hooks and `run_hooks`, `statement('main')`, the adapter's relation DDL, the relation
 * helpers, `should_full_refresh()`, `persist_docs`, `return()` — in one transaction, and reports
 * through the same result the built-ins give (kind, rows, statements). Its failures are errors
 * that name the model and leave the old relation as it was.
 */
import { MartqlError } from '../../src/errors';
import { openCustomProject, type CustomProject } from './custom-project';

/** Builds a table through an intermediate and a backup, recording what the context says in `audit`. */
const AUDITED_TABLE = `
{% materialization audited_table, default %}
  {%- set target = this.incorporate(type='table') -%}
  {%- set existing = load_relation(this) -%}
  {%- set intermediate = make_intermediate_relation(target) -%}
  {%- set backup = make_backup_relation(target, 'table') -%}
  {%- set staged = make_temp_relation(target) -%}
  {%- set mode = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('stage') %}{{ get_create_table_as_sql(True, staged, sql) }}{% endcall %}
  {% call statement('main') %}{{ create_table_as(False, intermediate, 'select * from ' ~ staged) }}{% endcall %}
  {% call statement('facts') %}
    insert into {{ this.schema }}.audit (event, detail) values
      ('model', '{{ model.name }}'), ('config', '{{ config.get("tag_value") }}'),
      ('full_refresh', '{{ should_full_refresh() }}'), ('on_schema_change', '{{ mode }}'),
      ('sql', '{{ "items" in sql and compiled_code == sql }}'),
      ('hooks', '{{ pre_hooks | length }}/{{ post_hooks | length }}/{{ pre_hooks[0].transaction }}'),
      ('columns', '{{ adapter.get_columns_in_relation(staged) | map(attribute="name") | join(",") }}'),
      ('relations', '{{ staged.schema is none }}/{{ intermediate.identifier }}/{{ backup.identifier }}/{{ existing is none }}')
  {% endcall %}
  {% if existing is not none %}{% do adapter.rename_relation(existing, backup) %}{% endif %}
  {% do adapter.rename_relation(intermediate, target) %}
  {% if existing is not none %}{% do adapter.drop_relation(backup) %}{% endif %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target]}) }}
{% endmaterialization %}
`;

const PLAIN_VIEW = `
{% materialization plain_view, adapter='postgres' %}
  {%- set target = this.incorporate(type='view') -%}
  {%- set existing = load_relation(this) -%}
  {% if existing is not none %}{% do adapter.drop_relation(existing) %}{% endif %}
  {% call statement('main') %}{{ create_view_as(target, sql) }}{% endcall %}
  {{ return({'relations': [target]}) }}
{% endmaterialization %}
{% materialization plain_view, default %}{{ exceptions.raise_compiler_error('the default block was chosen') }}{% endmaterialization %}
`;

/** Appends to the table, widening its string columns first. */
const WIDEN = `
{% materialization widen, default %}
  {%- set existing = load_relation(this) -%}
  {%- set staged = make_temp_relation(this) -%}
  {% call statement('stage') %}{{ create_table_as(True, staged, sql) }}{% endcall %}
  {% if existing is none %}
    {% call statement('main') %}{{ create_table_as(False, this, 'select * from ' ~ staged) }}{% endcall %}
  {% else %}
    {% do adapter.expand_target_column_types(from_relation=staged, to_relation=this) %}
    {% call statement('main') %}insert into {{ this }} select * from {{ staged }}{% endcall %}
  {% endif %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
`;

/** Blocks that go wrong after changing the table, so a rollback is visible. */
const BROKEN = `
{% materialization forgetful, default %}
  {% call statement('main') %}delete from {{ this }}{% endcall %}
{% endmaterialization %}
{% materialization failing, default %}
  {{ run_hooks(pre_hooks) }}
  {% call statement('wipe') %}delete from {{ this }}{% endcall %}
  {% call statement('main') %}select 1 / 0{% endcall %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
{% materialization outside_hook, default %}
  {{ run_hooks([{'sql': 'vacuum', 'transaction': false}], inside_transaction=False) }}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
{% materialization not_relations, default %}
  {{ return({'relations': ['items']}) }}
{% endmaterialization %}
`;

const PROPERTIES = `
version: 2
models:
  - name: audited
    description: "Items, audited. It's documented."
    columns:
      - name: id
        description: "The item's id"
      - name: not_there
        description: a column the table does not have
`;

const AUDITED = `{{ config(materialized='audited_table', tag_value='hello',
    on_schema_change=var('osc', none), full_refresh=var('fr', none),
    persist_docs={'relation': true, 'columns': true},
    pre_hook="insert into {{ this.schema }}.audit (event, detail) values ('pre', '{{ this.identifier }}')",
    post_hook="insert into {{ this.schema }}.audit (event, detail) values ('post', (select count(*)::text from {{ this }}))") }}
select id, name from {{ source('raw', 'items') }}
`;

describe('custom materializations', () => {
  let p: CustomProject;
  beforeAll(async () => {
    p = await openCustomProject({
      'macros/blocks.sql': AUDITED_TABLE + PLAIN_VIEW + WIDEN + BROKEN,
      'models/audited.sql': AUDITED,
      'models/properties.yml': PROPERTIES,
    });
    await p.pw.wh.query(`create table ${p.rel('items')} (id int, name varchar(5))`);
    await p.pw.wh.query(`insert into ${p.rel('items')} values (1, 'a'), (2, 'b')`);
    await p.pw.wh.query(`create table ${p.rel('audit')} (seq serial, event text, detail text)`);
  });
  afterAll(() => p?.close());

  const audit = async () => {
    const rows = await p.rows(`select event, detail from ${p.rel('audit')} order by seq`);
    await p.pw.wh.query(`truncate ${p.rel('audit')}`);
    return rows.map((r) => `${String(r.event)}=${String(r.detail)}`);
  };
  const items = () => p.rows(`select id, name from ${p.rel('items')} order by id`);
  const failure = (result: { status: string; error?: MartqlError }): MartqlError => {
    expect(result.status).toBe('error');
    expect(result.error).toBeInstanceOf(MartqlError);
    return result.error!;
  };

  it('gives the block dbt’s context and reports its build like a built-in one', async () => {
    const result = await p.run({ select: ['audited'] });
    expect(result).toMatchObject({
      status: 'success',
      kind: 'table',
      rowsAffected: 2,
      materialization: 'audited_table',
    });
    expect(await p.rows(`select id, name from ${p.rel('audited')} order by id`)).toEqual(await items());
    expect(await audit()).toEqual([
      'pre=audited',
      'model=audited',
      'config=hello',
      'full_refresh=False',
      'on_schema_change=ignore',
      'sql=True',
      'hooks=1/1/True',
      'columns=id,name',
      'relations=True/audited__dbt_tmp/audited__dbt_backup/True',
      'post=2',
    ]);
    // persist_docs wrote the descriptions; the YAML column the table lacks was skipped.
    const [docs] = await p.rows(
      `select obj_description($1::regclass, 'pg_class') as tbl, col_description($1::regclass, 1) as id`,
      [p.rel('audited')],
    );
    expect(docs).toEqual({ tbl: "Items, audited. It's documented.", id: "The item's id" });
    // Every statement the block and its hooks ran is the node's statement log, in order.
    const sqls = result.statements!.map((s) => s.sql.trim().split(/\s+/).slice(0, 3).join(' '));
    expect(sqls[0]).toBe(`insert into ${p.pw.schema}.audit`);
    expect(sqls).toContain('create temporary table');
    expect(sqls.filter((s) => s.startsWith('alter table'))).toHaveLength(1);
    expect(sqls.filter((s) => s.startsWith('comment on'))).toHaveLength(2);
    expect(result.statements!.every((s) => s.ms >= 0)).toBe(true);
    expect(await p.pw.wh.getRelation(p.pw.schema, 'audited__dbt_tmp')).toBeNull();
  });

  it('follows --full-refresh unless the full_refresh config says otherwise, and swaps the table', async () => {
    const [before] = await p.rows(`select $1::regclass::oid::text as oid`, [p.rel('audited')]);
    expect(await p.run({ select: ['audited'], fullRefresh: true })).toMatchObject({
      status: 'success',
      kind: 'table',
    });
    expect((await audit()).filter((e) => /^(full_refresh|relations)=/.test(e))).toEqual([
      'full_refresh=True',
      'relations=True/audited__dbt_tmp/audited__dbt_backup/False',
    ]);
    const [after] = await p.rows(`select $1::regclass::oid::text as oid`, [p.rel('audited')]);
    expect(after.oid).not.toBe(before.oid);
    expect(await p.pw.wh.getRelation(p.pw.schema, 'audited__dbt_backup')).toBeNull();
    await p.run({ select: ['audited'], fullRefresh: true, vars: { fr: false } });
    expect(await audit()).toContain('full_refresh=False');
    await p.run({ select: ['audited'], vars: { fr: true } });
    expect(await audit()).toContain('full_refresh=True');
  });

  it('warns about an unknown on_schema_change and uses the default', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let warnings: string[];
    try {
      expect(await p.run({ select: ['audited'], vars: { osc: 'sometimes' } })).toMatchObject({
        status: 'success',
      });
      warnings = warn.mock.calls.map((call) => String(call[0]));
    } finally {
      warn.mockRestore();
    }
    expect(await audit()).toContain('on_schema_change=ignore');
    expect(warnings.some((w) => w.includes("on_schema_change 'sometimes'") && w.includes('audited'))).toBe(
      true,
    );
  });

  it('builds a view with the adapter-specific block, rows affected null', async () => {
    p.write(
      'models/shown.sql',
      "{{ config(materialized='plain_view') }}\nselect id * 10 as id from {{ source('raw', 'items') }}\n",
    );
    for (let i = 0; i < 2; i++) {
      const result = await p.run({ select: ['shown'] });
      expect(result).toMatchObject({ status: 'success', kind: 'view', rowsAffected: null });
    }
    expect((await p.pw.wh.getRelation(p.pw.schema, 'shown'))?.type).toBe('view');
    expect(await p.rows(`select id from ${p.rel('shown')} order by id`)).toEqual([{ id: 10 }, { id: 20 }]);
  });

  it('widens string columns with adapter.expand_target_column_types and changes the table in place', async () => {
    const model = (len: number, value: string) =>
      `{{ config(materialized='widen', unlogged=true) }}\nselect cast('${value}' as varchar(${len})) as code\n`;
    p.write('models/codes.sql', model(3, 'abc'));
    expect(await p.run({ select: ['codes'] })).toMatchObject({
      status: 'success',
      kind: 'table',
      rowsAffected: 1,
    });
    p.write('models/codes.sql', model(12, 'abcdefghijkl'));
    expect(await p.run({ select: ['codes'] })).toMatchObject({
      status: 'success',
      kind: 'incremental',
      rowsAffected: 1,
    });
    expect(await p.pw.wh.getColumns(p.pw.schema, 'codes')).toMatchObject([
      { name: 'code', dataType: 'character varying(12)' },
    ]);
    expect(await p.rows(`select code from ${p.rel('codes')} order by code`)).toEqual([
      { code: 'abc' },
      { code: 'abcdefghijkl' },
    ]);
    // create_table_as honours the unlogged config on Postgres.
    expect(
      await p.rows(`select relpersistence from pg_class where oid = $1::regclass`, [p.rel('codes')]),
    ).toEqual([{ relpersistence: 'u' }]);
  });

  it('names the model and the known materializations when the name is unknown', async () => {
    p.write('models/typo.sql', "{{ config(materialized='audited_tabel') }}\nselect 1 as x\n");
    const error = failure(await p.run({ select: ['typo'] }));
    expect(error.code).toBe('PROJECT_CONFIG');
    expect(error.message).toMatch(
      /^model typo: unknown materialization 'audited_tabel' \(known: .*audited_table.*custom_incremental.*\)/,
    );
    expect(error.hint).toBe("did you mean 'audited_table'?");
    expect(error.location?.file).toBe('models/typo.sql');
  });

  describe('failures leave the old table', () => {
    const broken = (materialization: string) =>
      `{{ config(materialized=var('m', 'table'), pre_hook="insert into {{ this.schema }}.audit (event) values ('pre')") }}\n` +
      `select id, name from {{ source('raw', 'items') }}\n-- ${materialization}\n`;
    beforeAll(async () => {
      p.write('models/victim.sql', broken('table'));
      expect(await p.run({ select: ['victim'] })).toMatchObject({ status: 'success' });
      await audit();
    });
    const victim = () => p.rows(`select id, name from ${p.rel('victim')} order by id`);

    it('a block that never returns', async () => {
      const error = failure(await p.run({ select: ['victim'], vars: { m: 'forgetful' } }));
      expect(error.code).toBe('COMPILER_ERROR');
      expect(error.message).toBe(
        "model victim: the materialization 'forgetful' (macros/blocks.sql:54) ended without return({'relations': [...]})",
      );
      expect(error.hint).toMatch(/return\(\{'relations'/);
      expect(await victim()).toEqual(await items());
    });

    it('a failing statement, after a hook and a delete ran', async () => {
      const error = failure(await p.run({ select: ['victim'], vars: { m: 'failing' } }));
      expect(error.code).toBe('DATABASE');
      expect(error.data?.sqlstate).toBe('22012');
      expect(error.message).toMatch(
        /^model victim: the materialization 'failing' \(macros\/blocks\.sql:\d+\) failed: .*division by zero/,
      );
      expect(await victim()).toEqual(await items());
      expect(await audit()).toEqual([]);
    });

    it('a hook asked to run outside the transaction', async () => {
      const error = failure(await p.run({ select: ['victim'], vars: { m: 'outside_hook' } }));
      expect(error.code).toBe('JINJA_UNSUPPORTED');
      expect(error.message).toMatch(/^model victim: .*transaction=False/);
    });

    it('a block that returns something other than relations', async () => {
      const error = failure(await p.run({ select: ['victim'], vars: { m: 'not_relations' } }));
      expect(error.message).toBe(
        "model victim: the materialization 'not_relations' (macros/blocks.sql:67) returned items in 'relations', which is not a relation",
      );
      expect(await victim()).toEqual(await items());
    });
  });
});
