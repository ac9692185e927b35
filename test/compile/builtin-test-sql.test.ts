/**
 * The built-in generic tests written without a render (src/compile/builtin-test-sql.ts) against
 * the oracle: the same project with the built-in test macros copied into it, which makes every
 * test render through Jinja as before. The compiled SQL of every test must be byte-identical.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileProject } from '../../src/compile/compile-project';
import { tempProject } from '../helpers/temp-project';

const BUILTIN_TESTS = readFileSync(
  path.resolve(__dirname, '..', '..', 'include', 'dbt', 'macros', 'generic_tests.sql'),
  'utf8',
);

const FILES: Record<string, string> = {
  'models/orders.sql': 'select 1 as id, 2 as customer_id, 3 as "Amount", \'a\' as status',
  'models/customers.sql': 'select 2 as id',
  'models/eph.sql': "{{ config(materialized='ephemeral') }}select 2 as id",
  'models/on_eph.sql': "select * from {{ ref('eph') }}",
  'models/schema.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: payments
        columns:
          - name: order_id
            data_tests:
              - not_null
              - relationships:
                  to: ref('orders')
                  field: id
models:
  - name: orders
    data_tests:
      - unique:
          column_name: "id || '-' || customer_id"
      - accepted_values:
          column_name: status
          values: []
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: customer_id
        data_tests:
          - relationships:
              to: ref('customers')
              field: id
          - relationships:
              to: "ref('eph')"
              field: "id"
          - relationships:
              to: source('raw', 'payments')
              field: order_id
          - relationships:
              to: ref('customers')
              field: id
              config:
                where: "id > 0"
      - name: '"Amount"'
        data_tests:
          - not_null:
              config:
                severity: warn
          - accepted_values:
              values: [1, 2.5, 1.0, true, null, "it's", -3]
              quote: false
      - name: status
        data_tests:
          - accepted_values:
              values: ['a', 'b', 7, false]
          - accepted_values:
              values: ['x']
              quote: true
              config:
                where: "status <> 'z'"
          - accepted_values:
              values: "{{ ['p', 'q'] }}"
  - name: eph
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: on_eph
    columns:
      - name: id
        data_tests:
          - not_null
          - relationships:
              to: ref('eph')
              field: id
`,
};

async function compiledTests(extra: Record<string, string>): Promise<Map<string, string>> {
  const project = tempProject({ ...FILES, ...extra });
  try {
    const result = await compileProject({ projectDir: project.dir, write: false });
    const out = new Map<string, string>();
    for (const [id, node] of result.compiled) if (id.startsWith('test.')) out.set(id, node.sql);
    return out;
  } finally {
    project.cleanup();
  }
}

describe('built-in generic tests without a render', () => {
  it('compile to exactly what the test macros render', async () => {
    const direct = await compiledTests({});
    const rendered = await compiledTests({ 'macros/generic_tests.sql': BUILTIN_TESTS });
    expect([...direct.keys()].sort()).toEqual([...rendered.keys()].sort());
    expect(direct.size).toBe(19);
    for (const [id, sql] of rendered) expect([id, direct.get(id)]).toEqual([id, sql]);
    // The ephemeral model is inlined the same way on both paths.
    const onEph = [...direct].find(([id]) =>
      id.startsWith('test.demo.relationships_on_eph_id__id__ref_eph_'),
    );
    expect(onEph?.[1]).toMatch(/^\s*with __dbt__cte__eph as/);
  });

  it('leave an overridden test macro to the render', async () => {
    const overridden = await compiledTests({
      'macros/not_null.sql':
        '{% macro postgres__test_not_null(model, column_name) %}select 1 from {{ model }} where {{ column_name }} is null and true{% endmacro %}',
      'dbt_project.yml':
        'name: demo\nversion: "1.0"\nconfig-version: 2\ndispatch:\n  - macro_namespace: dbt\n    search_order: [demo, dbt]\n',
    });
    const notNull = [...overridden].filter(([id]) => /^test\.demo\.(source_)?not_null_/.test(id));
    expect(notNull.length).toBe(5);
    for (const [, sql] of notNull) expect(sql).toMatch(/is null and true$/);
  });

  it('leave a project that overrides ref or source to the render', async () => {
    // A ref that drops the schema, and a source that does: both apply to the tested relation and
    // to the arguments, as they do when the test renders.
    const overrides = {
      'macros/ref.sql':
        '{% macro ref(model_name) %}{% do return(builtins.ref(model_name).include(database=false, schema=false)) %}{% endmacro %}',
      'macros/source.sql':
        '{% macro source(source_name, table_name) %}{% do return(builtins.source(source_name, table_name).include(database=false, schema=false)) %}{% endmacro %}',
    };
    const direct = await compiledTests(overrides);
    const rendered = await compiledTests({ ...overrides, 'macros/generic_tests.sql': BUILTIN_TESTS });
    expect(direct.size).toBe(19);
    for (const [id, sql] of rendered) expect([id, direct.get(id)]).toEqual([id, sql]);
    const toCustomers = [...direct].find(([id]) =>
      id.includes('relationships_orders_customer_id__id__ref_customers_'),
    );
    expect(toCustomers?.[1]).toMatch(/from "customers"/);
  });

  it('report an unknown source in a test argument at the test, as the render does', async () => {
    const failure = async (extra: Record<string, string>) => {
      const project = tempProject({
        'models/orders.sql': 'select 1 as id',
        'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests:
          - relationships:
              to: source('nope', 'x')
              field: id
`,
        ...extra,
      });
      try {
        return await compileProject({ projectDir: project.dir, write: false }).then(
          () => undefined,
          (err: { code?: string; location?: { file?: string } }) => ({
            code: err.code,
            file: err.location?.file,
          }),
        );
      } finally {
        project.cleanup();
      }
    };
    const direct = await failure({});
    expect(direct?.file).toMatch(/schema\.yml$/);
    expect(direct).toEqual(await failure({ 'macros/generic_tests.sql': BUILTIN_TESTS }));
  });
});
