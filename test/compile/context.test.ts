/**
 * The dbt context, construct by construct: each model of one small project uses one context
 * function, and the compiled SQL shows what it did. Compiled against a real warehouse, because
 * `run_query`, `statement` and the adapter's introspection read it.
 */
import { compileProject, type CompileProjectResult } from '../../src/compile/compile-project';
import { targetFromEnv } from '../../src/compile/target';
import { MartqlError } from '../../src/errors';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const MODELS: Record<string, string> = {
  'models/base.sql': 'select 1 as id, 10 as amount',
  'models/versioned_v2.sql': '{{ config(version=2) }}select 2 as id',
  'models/refs.sql': "select * from {{ ref('base') }} join {{ ref('demo', 'base') }} using (id)",
  'models/sources.sql': "select * from {{ source('raw', 'orders') }}",
  'models/vars.sql':
    "select {{ var('answer') }} as a, '{{ var('missing', 'fallback') }}' as b, {{ var('from_cli', 0) }} as c",
  'models/configured.sql':
    "{{ config(materialized='table', tags=['t1'], unique_key='id') }}select '{{ config.get('materialized') }}' as m, '{{ config.get('nope', 'dflt') }}' as d, '{{ config.require('unique_key') }}' as k",
  'models/this_model.sql':
    "select '{{ this }}' as me, '{{ this.schema }}' as s, '{{ this.identifier }}' as i, '{{ model.name }}' as n, '{{ model.unique_id }}' as u",
  'models/phases.sql':
    "select {{ 'true' if execute else 'false' }} as executing, {{ is_incremental() }} as incr",
  'models/queries.sql': [
    "{% set t = run_query('select 41 + 1 as answer, ' ~ \"'x'\" ~ ' as label') %}",
    "{% call statement('s', fetch_result=True) %}select 7 as seven{% endcall %}",
    "{% if execute %}{% set r = load_result('s') %}",
    "select {{ t.columns[0].values()[0] }} as a, '{{ t.rows[0]['label'] }}' as l, {{ r['data'][0][0] }} as seven, {{ r.table.columns['seven'].values()[0] }} as again",
    '{% endif %}',
  ].join('\n'),
  'models/introspect.sql': [
    "{% set rel = adapter.get_relation(database=target.database, schema=target.schema, identifier='existing_table') %}",
    "{% set missing = adapter.get_relation(database=target.database, schema=target.schema, identifier='no_such_table') %}",
    '{% if execute %}{% set cols = adapter.get_columns_in_relation(rel) %}{% endif %}',
    "select '{{ rel.identifier }}' as found, {{ 'true' if missing is none else 'false' }} as missing_is_none,",
    "'{% if execute %}{{ cols | map(attribute='name') | join(',') }}{% endif %}' as columns,",
    "'{% if execute %}{{ cols[1].data_type }}{% endif %}' as second_type, '{{ adapter.quote('Mixed Case') }}' as quoted",
  ].join('\n'),
  'models/api_relation.sql':
    "{% set r = api.Relation.create(schema='s1', identifier='t1') %}select '{{ r }}' as rendered, '{{ r.include(schema=false) }}' as bare",
  'models/dispatching.sql': "select {{ adapter.dispatch('answer_expr')() }} as a",
  'macros/answer.sql': '{% macro default__answer_expr() %}40 + 2{% endmacro %}',
  'models/envs.sql':
    "select '{{ env_var('MARTQL_TEST_ENV', 'unset') }}' as e, '{{ env_var('HOME_NOT_SET_X', 'dflt') }}' as d",
  'models/target_info.sql':
    "select '{{ target.name }}' as n, '{{ target.type }}' as t, '{{ target.schema }}' as s",
  'models/times.sql': [
    '{% set d = modules.datetime.datetime(2024, 3, 31, 12, 30) %}',
    "select '{{ d.strftime('%Y-%m-%d %H:%M') }}' as a, '{{ (d + modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}' as b,",
    "'{{ run_started_at.strftime('%Y') | length }}' as y, '{{ invocation_id | length }}' as inv",
  ].join('\n'),
  'models/graph_walk.sql':
    "{% if execute %}{% set ns = namespace(n=0) %}{% for id, node in graph.nodes.items() if node.resource_type == 'model' %}{% set ns.n = ns.n + 1 %}{% endfor %}select {{ ns.n }} as models{% else %}select 0 as models{% endif %}",
  'models/flags_model.sql': "select '{{ flags.WHICH }}' as w, {{ flags.FULL_REFRESH }} as fr",
  'models/logging.sql':
    "{{ log('hello from a model', info=True) }}{{ log('not shown', info=False) }}select 1 as x",
  'models/keywords.sql':
    "select '{{ var('nope', default='v') }}' as v, '{{ config.get('nope', default='c') }}' as c, '{{ env_var('MARTQL_NOPE_X', default='e') }}' as e",
  'models/depends.sql': "-- depends_on: {{ ref('base') }}\nselect 1 as x",
  'models/ephemeral_one.sql': "{{ config(materialized='ephemeral') }}select 5 as five",
  'models/uses_ephemeral.sql': "with x as (select * from {{ ref('ephemeral_one') }}) select * from x",
  'models/uses_ephemeral_plain.sql': "select * from {{ ref('ephemeral_one') }}",
  'models/_sources.yml':
    'version: 2\nsources:\n  - name: raw\n    schema: raw_data\n    tables:\n      - name: orders\n',
};

describe('dbt context in templates', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  let result: CompileProjectResult;
  const logged: string[] = [];
  const sql = (name: string) => result.compiled.get(`model.demo.${name}`)!.sql;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    await pw.wh.query(`create table "${pw.schema}".existing_table (id integer, label varchar(20))`);
    project = tempProject({
      'dbt_project.yml': 'name: demo\nversion: "1.0"\nconfig-version: 2\nvars:\n  answer: 42\n',
      ...MODELS,
    });
    process.env.MARTQL_TEST_ENV = 'set-by-test';
    result = await compileProject({
      projectDir: project.dir,
      session: pw.wh,
      target: pw.target,
      vars: '{from_cli: 7}',
      noParseCache: true,
      log: (m) => logged.push(m),
    });
  });
  afterAll(async () => {
    delete process.env.MARTQL_TEST_ENV;
    project.cleanup();
    await pw.cleanup();
  });

  it('ref with one and two arguments; versioned models', () => {
    const s = pw.schema;
    expect(sql('refs')).toBe(`select * from "${s}"."base" join "${s}"."base" using (id)`);
    expect(result.manifest.nodes.get('model.demo.refs')!.dependsOn).toEqual(['model.demo.base']);
  });

  it('source resolves to the declared schema and becomes a dependency', () => {
    expect(sql('sources')).toBe('select * from "raw_data"."orders"');
    expect(result.manifest.nodes.get('model.demo.sources')!.dependsOn).toEqual(['source.demo.raw.orders']);
  });

  it('var: project vars, defaults, and --vars', () => {
    expect(sql('vars')).toBe("select 42 as a, 'fallback' as b, 7 as c");
  });

  it('config() sets the node config; config.get and config.require read it', () => {
    expect(sql('configured')).toBe("select 'table' as m, 'dflt' as d, 'id' as k");
    const node = result.manifest.nodes.get('model.demo.configured')!;
    expect(node.config.materialized).toBe('table');
    expect(node.config.tags).toEqual(['t1']);
  });

  it('this and model describe the node', () => {
    expect(sql('this_model')).toBe(
      `select '"${pw.schema}"."this_model"' as me, '${pw.schema}' as s, 'this_model' as i, 'this_model' as n, 'model.demo.this_model' as u`,
    );
  });

  it('execute is true when compiling; is_incremental() is false without a built table', () => {
    expect(sql('phases')).toBe('select true as executing, False as incr');
  });

  it('run_query, statement and load_result run in the warehouse and return agate-like tables', () => {
    expect(sql('queries').trim()).toBe("select 42 as a, 'x' as l, 7 as seven, 7 as again");
  });

  it('adapter.get_relation, get_columns_in_relation and quote read the warehouse', () => {
    // Jinja keeps the newline after each `{% set %}` line (dbt does not enable trim_blocks).
    expect(sql('introspect')).toBe(
      "\n\n\nselect 'existing_table' as found, true as missing_is_none,\n'id,label' as columns,\n'character varying(20)' as second_type, '\"Mixed Case\"' as quoted",
    );
  });

  it('api.Relation.create renders and narrows', () => {
    expect(sql('api_relation')).toBe(`select '"s1"."t1"' as rendered, '"t1"' as bare`);
  });

  it('adapter.dispatch without a namespace finds the project macro', () => {
    expect(sql('dispatching')).toBe('select 40 + 2 as a');
  });

  it('env_var reads the environment with defaults', () => {
    expect(sql('envs')).toBe("select 'set-by-test' as e, 'dflt' as d");
  });

  it('target, modules.datetime, run_started_at and invocation_id', () => {
    expect(sql('target_info')).toBe(`select 'dev' as n, 'postgres' as t, '${pw.schema}' as s`);
    expect(sql('times')).toBe("\nselect '2024-03-31 12:30' as a, '2024-04-01' as b,\n'4' as y, '36' as inv");
  });

  it('graph lists the manifest; flags say what runs', () => {
    const models = [...result.manifest.nodes.values()].filter((n) => n.resourceType === 'model').length;
    expect(sql('graph_walk')).toBe(`select ${models} as models`);
    expect(sql('flags_model')).toBe("select 'compile' as w, False as fr");
  });

  it('log(info=True) reaches the logger, info=False does not', () => {
    expect(logged).toContain('hello from a model');
    expect(logged).not.toContain('not shown');
  });

  it('var, config.get and env_var take default= as a keyword', () => {
    expect(sql('keywords')).toBe("select 'v' as v, 'c' as c, 'e' as e");
  });

  it('-- depends_on makes a dependency without using the relation', () => {
    expect(result.manifest.nodes.get('model.demo.depends')!.dependsOn).toEqual(['model.demo.base']);
  });

  it('ephemeral models are inlined as CTEs, inside an existing WITH or as a new one', () => {
    expect(sql('uses_ephemeral')).toBe(
      'with __dbt__cte__ephemeral_one as (\nselect 5 as five\n), x as (select * from __dbt__cte__ephemeral_one) select * from x',
    );
    expect(sql('uses_ephemeral_plain')).toBe(
      'with __dbt__cte__ephemeral_one as (\nselect 5 as five\n)\nselect * from __dbt__cte__ephemeral_one',
    );
  });

  it('every compiled model runs in the warehouse', async () => {
    await pw.wh.query(`create schema if not exists raw_data`);
    await pw.wh.query(`create table if not exists raw_data.orders (id int)`);
    for (const name of [
      'vars',
      'configured',
      'this_model',
      'phases',
      'queries',
      'introspect',
      'dispatching',
      'times',
      'uses_ephemeral',
      'uses_ephemeral_plain',
    ]) {
      await expect(pw.wh.query(sql(name))).resolves.toBeDefined();
    }
  });
});

describe('context errors name the file', () => {
  it.each([
    ["{{ exceptions.raise_compiler_error('custom failure') }}", 'COMPILER_ERROR', /custom failure/],
    ["{{ config.require('nope') }}", 'COMPILER_ERROR', /nope/],
    ["{{ env_var('MARTQL_SURELY_UNSET_VAR') }}", 'MISSING_ENV_VAR', /MARTQL_SURELY_UNSET_VAR/],
  ])('%s -> %s', async (code, errorCode, message) => {
    const project = tempProject({ 'models/bad.sql': `select 1\n${code}\n` });
    try {
      const err = await compileProject({ projectDir: project.dir, noParseCache: true, write: false }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(MartqlError);
      expect(err.code).toBe(errorCode);
      expect(err.message).toMatch(message);
      expect(err.location.file).toBe('models/bad.sql');
    } finally {
      project.cleanup();
    }
  });
});

describe('where nodes are built', () => {
  it('+schema appends to the target schema; a project generate_schema_name/alias override wins', async () => {
    const files = {
      'dbt_project.yml':
        'name: demo\nversion: "1.0"\nconfig-version: 2\nmodels:\n  demo:\n    marts:\n      +schema: marts\n',
      'models/marts/m.sql': 'select 1 as x',
      'models/a.sql': "{{ config(alias='renamed') }}select * from {{ ref('m') }}",
    };
    const plain = tempProject(files);
    const custom = tempProject({
      ...files,
      'macros/naming.sql': [
        '{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name or target.schema }}{% endmacro %}',
        "{% macro generate_alias_name(custom_alias_name=none, node=none) %}{{ 'v_' ~ (custom_alias_name or node.name) }}{% endmacro %}",
      ].join('\n'),
    });
    try {
      const target = { ...targetFromEnv({}), schema: 'analytics' };
      const a = await compileProject({ projectDir: plain.dir, target, noParseCache: true, write: false });
      expect(a.manifest.nodes.get('model.demo.m')!.relation).toMatchObject({
        schema: 'analytics_marts',
        identifier: 'm',
      });
      expect(a.compiled.get('model.demo.a')!.sql).toBe('select * from "analytics_marts"."m"');
      expect(a.manifest.nodes.get('model.demo.a')!.relation).toMatchObject({
        schema: 'analytics',
        identifier: 'renamed',
      });
      const b = await compileProject({ projectDir: custom.dir, target, noParseCache: true, write: false });
      expect(b.manifest.nodes.get('model.demo.m')!.relation).toMatchObject({
        schema: 'marts',
        identifier: 'v_m',
      });
      expect(b.compiled.get('model.demo.a')!.sql).toBe('select * from "marts"."v_m"');
    } finally {
      plain.cleanup();
      custom.cleanup();
    }
  });
});
