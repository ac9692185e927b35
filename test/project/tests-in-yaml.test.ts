import { loadProject, type TestDefinition } from '../../src/project';
import { cleanUp, rejection, writeProject } from './helpers';

afterAll(cleanUp);

const schema = `version: 2
models:
  - name: orders
    data_tests:
      - dbt_utils.expression_is_true:
          expression: "amount >= 0"
          config:
            where: "status != 'void'"
    columns:
      - name: id
        data_tests:
          - not_null
          - unique:
              arguments: {}
              config: {severity: warn}
      - name: status
        data_tests:
          - accepted_values:
              values: [placed, shipped]
              quote: false
              config:
                severity: warn
          - accepted_values:
              name: status_is_known
              description: Only known statuses.
              arguments:
                values: [placed]
      - name: customer_id
        tests:
          - relationships:
              to: ref('customers')
              field: id
              severity: error
              where: "customer_id is not null"
          - name: customer_fk
            test_name: relationships
            to: ref('customers')
            field: id
            config:
              error_if: ">10"
`;

async function tests(): Promise<{ model: TestDefinition[]; byColumn: Record<string, TestDefinition[]> }> {
  const project = await loadProject(
    writeProject({ 'models/orders.sql': 'select 1', 'models/schema.yml': schema }),
  );
  const props = project.models[0].properties!;
  return {
    model: props.tests,
    byColumn: Object.fromEntries(props.columns.map((c) => [c.name, c.tests])),
  };
}

describe('generic tests in YAML', () => {
  it('reads a bare name', async () => {
    const { byColumn } = await tests();
    expect(byColumn.id[0]).toEqual({
      testName: 'not_null',
      args: {},
      config: {},
      columnName: 'id',
      location: { file: 'models/schema.yml', line: 12, column: 13 },
    });
  });

  it('reads the 1.9+ arguments/config form', async () => {
    const { byColumn } = await tests();
    expect(byColumn.id[1]).toMatchObject({ testName: 'unique', args: {}, config: { severity: 'warn' } });
  });

  it('reads arguments written beside config, and explicit names and descriptions', async () => {
    const { byColumn } = await tests();
    expect(byColumn.status[0]).toMatchObject({
      testName: 'accepted_values',
      args: { values: ['placed', 'shipped'], quote: false },
      config: { severity: 'warn' },
      location: { line: 18 },
    });
    expect(byColumn.status[1]).toMatchObject({
      testName: 'accepted_values',
      name: 'status_is_known',
      description: 'Only known statuses.',
      args: { values: ['placed'] },
      config: {},
    });
  });

  it('lifts config keys written among the arguments (pre-1.9 style), under legacy `tests:`', async () => {
    const { byColumn } = await tests();
    expect(byColumn.customer_id[0]).toMatchObject({
      testName: 'relationships',
      args: { to: "ref('customers')", field: 'id' },
      config: { severity: 'error', where: 'customer_id is not null' },
      columnName: 'customer_id',
    });
  });

  it('reads the test_name form', async () => {
    const { byColumn } = await tests();
    expect(byColumn.customer_id[1]).toMatchObject({
      testName: 'relationships',
      name: 'customer_fk',
      args: { to: "ref('customers')", field: 'id' },
      config: { error_if: '>10' },
    });
  });

  it('reads namespaced model-level tests', async () => {
    const { model } = await tests();
    expect(model).toEqual([
      {
        testName: 'dbt_utils.expression_is_true',
        namespace: 'dbt_utils',
        args: { expression: 'amount >= 0' },
        config: { where: "status != 'void'" },
        location: { file: 'models/schema.yml', line: 5, column: 9 },
      },
    ]);
  });

  it.each([
    ['a number', '      - name: id\n        data_tests:\n          - 42\n', 8],
    [
      'a two-key mapping',
      '      - name: id\n        data_tests:\n          - unique: {}\n            not_null: {}\n',
      8,
    ],
    ['arguments that are a list', '      - name: id\n        data_tests:\n          - unique: [a]\n', 8],
  ])('rejects a test that is %s with file and line', async (_what, columnYaml, line) => {
    const yml = `models:\n  - name: orders\n    columns:\n${columnYaml}`;
    const err = await rejection(
      loadProject(writeProject({ 'models/orders.sql': 'select 1', 'models/s.yml': yml })),
    );
    expect(err.code).toBe('YAML_SCHEMA');
    expect(err.location).toMatchObject({ file: 'models/s.yml', line: line - 2 });
  });

  it('rejects a tests list that is not a list, and both tests and data_tests', async () => {
    const notList = 'models:\n  - name: orders\n    data_tests: unique\n';
    const err = await rejection(
      loadProject(writeProject({ 'models/orders.sql': 'select 1', 'models/s.yml': notList })),
    );
    expect(err).toMatchObject({ code: 'YAML_SCHEMA', location: { file: 'models/s.yml', line: 3 } });
    const both = 'models:\n  - name: orders\n    data_tests: [unique]\n    tests: [not_null]\n';
    const err2 = await rejection(
      loadProject(writeProject({ 'models/orders.sql': 'select 1', 'models/s.yml': both })),
    );
    expect(err2).toMatchObject({ code: 'YAML_SCHEMA', location: { line: 4 } });
  });
});
