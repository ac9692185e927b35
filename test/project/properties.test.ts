import { loadProject } from '../../src/project';
import { cleanUp, rejection, writeProject } from './helpers';

afterAll(cleanUp);

const schema = `version: 2
models:
  - name: orders
    description: One row per order.
    config:
      materialized: table
      tags: [from_yaml]
      meta: {owner: sales}
    meta: {tier: 1}
    docs: {show: false}
    latest_version: 1
    columns:
      - name: id
        description: Primary key.
        data_type: integer
        quote: true
        constraints:
          - type: not_null
          - type: primary_key
        meta: {pii: false}
        tags: [key]
        granularity: day
      - name: note
  - name: ghost
    description: Not a model.
seeds:
  - name: countries
    config:
      column_types: {code: varchar(2)}
      delimiter: ";"
    columns:
      - name: code
        data_tests: [unique]
analyses:
  - name: adhoc
    description: An analysis.
macros:
  - name: cents
    description: Converts cents.
    arguments:
      - name: column
        type: string
        description: The column.
exposures:
  - name: dashboard
`;

async function load() {
  return loadProject(
    writeProject(
      {
        'models/orders.sql': 'select 1',
        'models/schema.yml': schema,
        'seeds/countries.csv': 'code;name\nfr;France\n',
        'analyses/adhoc.sql': 'select 1',
        'macros/cents.sql': '{% macro cents(column) %}{{ column }} / 100{% endmacro %}',
      },
      'name: proj\nmodels:\n  proj:\n    +tags: [tree]\n    +meta: {owner: tree, team: data}\n',
    ),
  );
}

describe('YAML property files', () => {
  it('attaches model properties and merges their config over the tree', async () => {
    const project = await load();
    const orders = project.models[0];
    expect(orders.config).toMatchObject({
      materialized: 'table',
      tags: ['tree', 'from_yaml'],
      meta: { owner: 'sales', team: 'data', tier: 1 },
    });
    const props = orders.properties!;
    expect(props).toMatchObject({
      name: 'orders',
      description: 'One row per order.',
      meta: { tier: 1 },
      docs: { show: false },
      extra: { latest_version: 1 },
      location: { file: 'models/schema.yml', line: 3, column: 5 },
      tests: [],
    });
    expect(props.columns).toEqual([
      {
        name: 'id',
        description: 'Primary key.',
        dataType: 'integer',
        quote: true,
        constraints: [{ type: 'not_null' }, { type: 'primary_key' }],
        tests: [],
        meta: { pii: false },
        tags: ['key'],
        extra: { granularity: 'day' },
      },
      { name: 'note', description: '', constraints: [], tests: [], meta: {}, tags: [], extra: {} },
    ]);
  });

  it('attaches seed, analysis and macro properties', async () => {
    const project = await load();
    expect(project.seeds[0].config).toMatchObject({ column_types: { code: 'varchar(2)' }, delimiter: ';' });
    expect(project.seeds[0].properties!.columns[0].tests[0]).toMatchObject({
      testName: 'unique',
      columnName: 'code',
    });
    expect(project.analyses[0].properties!.description).toBe('An analysis.');
    expect(project.macroProperties).toEqual([
      {
        package: 'proj',
        name: 'cents',
        description: 'Converts cents.',
        arguments: [{ name: 'column', type: 'string', description: 'The column.' }],
        meta: {},
        location: { file: 'models/schema.yml', line: 38, column: 5 },
        extra: {},
      },
    ]);
    expect(project.propertyFiles!.map((f) => f.path)).toEqual(['models/schema.yml']);
  });

  it('notes entries that match nothing and keys it does not support', async () => {
    const project = await load();
    expect(project.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/models\/schema.yml:24: models entry ghost matches no model/),
        expect.stringMatching(/exposures.*not supported/),
      ]),
    );
  });

  it('fails when a model is described twice, naming both files', async () => {
    const err = await rejection(
      loadProject(
        writeProject({
          'models/a.sql': 'select 1',
          'models/one.yml': 'models:\n  - name: a\n',
          'models/sub/two.yml': 'models:\n  - name: b\n  - name: a\n',
        }),
      ),
    );
    expect(err.code).toBe('DUPLICATE_NODE');
    expect(err.message).toContain('models/one.yml:2');
    expect(err.message).toContain('models/sub/two.yml:3');
    expect(err.location).toMatchObject({ file: 'models/sub/two.yml', line: 3 });
  });

  it.each([
    ['columns that are not a list', 'models:\n  - name: a\n    columns: {id: {}}\n', 3],
    ['a column without a name', 'models:\n  - name: a\n    columns:\n      - description: x\n', 4],
    ['a config that is not a mapping', 'models:\n  - name: a\n    config: [1]\n', 3],
    ['models that is not a list', 'models:\n  name: a\n', 1],
    ['a description that is a list', 'models:\n  - name: a\n    description: [x]\n', 3],
  ])('rejects %s with file and line', async (_what, yml, line) => {
    const err = await rejection(
      loadProject(writeProject({ 'models/a.sql': 'select 1', 'models/bad.yml': yml })),
    );
    expect(err.code).toBe('YAML_SCHEMA');
    expect(err.location).toMatchObject({ file: 'models/bad.yml', line });
  });

  it('reports YAML syntax errors at file:line:column', async () => {
    const err = await rejection(
      loadProject(
        writeProject({
          'models/a.sql': 'select 1',
          'models/bad.yml': 'models:\n  - name: a\n    columns: [id,\n  oops: 1\n',
        }),
      ),
    );
    expect(err.code).toBe('YAML_SYNTAX');
    expect(err.location.file).toBe('models/bad.yml');
    expect(err.location.line).toBeGreaterThanOrEqual(3);
    expect(err.location.column).toBeGreaterThan(0);
    expect(err.where).toMatch(/^models\/bad.yml:\d+:\d+$/);
  });

  it('reads YAML like PyYAML: yes/no booleans, merge keys, plain n and y', async () => {
    const yml = [
      'x-defaults: &defaults',
      '  config: {materialized: table, enabled: yes}',
      'models:',
      '  - name: a',
      '    <<: *defaults',
      '    columns:',
      '      - name: n',
      '      - name: y',
    ].join('\n');
    const project = await loadProject(writeProject({ 'models/a.sql': 'select 1', 'models/s.yml': yml }));
    expect(project.models[0].config).toMatchObject({ materialized: 'table', enabled: true });
    expect(project.models[0].properties!.columns.map((c) => c.name)).toEqual(['n', 'y']);
  });
});
