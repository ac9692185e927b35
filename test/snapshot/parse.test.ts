/**
 * Snapshots through loading and the parse phase, without a database: one node per block, YAML
 * snapshots, unique ids and refs, relations (`target_schema` as written, `schema` through
 * generate_schema_name), and the errors a user can make, each naming the file and line.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { compileProject, parseProjectDir } from '../../src/compile/compile-project';
import { snapshotBlocks } from '../../src/project/snapshot-blocks';
import { tempProject } from '../helpers/temp-project';

const TARGET = { name: 'dev', schema: 'analytics', type: 'postgres', threads: 1 } as never;

async function parse(files: Record<string, string>) {
  const project = tempProject(files);
  try {
    return await parseProjectDir(project.dir, { target: TARGET, noParseCache: true });
  } finally {
    project.cleanup();
  }
}

async function parseError(files: Record<string, string>): Promise<any> {
  try {
    await parse(files);
  } catch (err) {
    return err;
  }
  throw new Error('expected the parse to fail');
}

const TWO_BLOCKS = `-- orders and customers
{% snapshot orders_snapshot %}
    {{ config(target_schema='history', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
    select * from {{ ref('orders') }}
{% endsnapshot %}

{# {% snapshot commented_out %} select 1 {% endsnapshot %} #}
{%- snapshot customers_snapshot -%}
    {{ config(schema='snaps', unique_key=['id', 'region'], strategy='check', check_cols='all') }}
    select * from {{ ref('customers') }}
{%- endsnapshot -%}
`;

describe('snapshot parsing', () => {
  it('finds every block with its line, skipping comments, and keeps lines in the body', () => {
    const blocks = snapshotBlocks(TWO_BLOCKS, 'snapshots/s.sql');
    expect(blocks.map((b) => [b.name, b.line])).toEqual([
      ['orders_snapshot', 2],
      ['customers_snapshot', 8],
    ]);
    const lines = blocks[1].paddedBody.split('\n');
    expect(lines[9]).toContain("select * from {{ ref('customers') }}");
    expect(TWO_BLOCKS.split('\n')[9]).toBe(lines[9]);
  });

  it('makes one snapshot node per block and per YAML entry, refable by models', async () => {
    const { manifest } = await parse({
      'models/orders.sql': 'select 1 as id, now() as updated_at',
      'models/customers.sql': "select 1 as id, 'eu' as region",
      'models/current_orders.sql': "select * from {{ ref('orders_snapshot') }} where dbt_valid_to is null",
      'snapshots/core/two.sql': TWO_BLOCKS,
      'snapshots/from_yaml.yml': [
        'snapshots:',
        '  - name: orders_yaml',
        "    relation: ref('orders')",
        '    config: {unique_key: id, strategy: timestamp, updated_at: updated_at, alias: orders_history}',
        '',
      ].join('\n'),
    });
    const snap = (name: string) => manifest.nodes.get(`snapshot.demo.${name}`)!;
    expect(snap('orders_snapshot')).toMatchObject({
      resourceType: 'snapshot',
      fqn: ['demo', 'core', 'two', 'orders_snapshot'],
      dependsOn: ['model.demo.orders'],
      relation: { schema: 'history', identifier: 'orders_snapshot' },
      config: { materialized: 'snapshot', strategy: 'timestamp', unique_key: 'id' },
    });
    // `schema` goes through generate_schema_name (target schema + suffix), `target_schema` does not.
    expect(snap('customers_snapshot').relation).toMatchObject({ schema: 'analytics_snaps' });
    expect(snap('customers_snapshot').config.unique_key).toEqual(['id', 'region']);
    expect(snap('orders_yaml')).toMatchObject({
      path: 'snapshots/from_yaml.yml',
      dependsOn: ['model.demo.orders'],
      relation: { schema: 'analytics', identifier: 'orders_history' },
    });
    expect(manifest.nodes.get('model.demo.current_orders')!.dependsOn).toEqual([
      'snapshot.demo.orders_snapshot',
    ]);
    expect([...manifest.nodes.keys()].filter((id) => id.startsWith('snapshot.')).sort()).toEqual([
      'snapshot.demo.customers_snapshot',
      'snapshot.demo.orders_snapshot',
      'snapshot.demo.orders_yaml',
    ]);
  });

  it('compiles each snapshot of a file to its own file under target/compiled', async () => {
    const project = tempProject({
      'models/orders.sql': 'select 1 as id, now() as updated_at',
      'models/customers.sql': "select 1 as id, 'eu' as region",
      'snapshots/two.sql': TWO_BLOCKS,
    });
    try {
      const { compiled, written } = await compileProject({
        projectDir: project.dir,
        target: TARGET,
        noParseCache: true,
      });
      const file = written.get('snapshot.demo.customers_snapshot')!;
      expect(path.relative(project.dir, file)).toBe(
        path.join('target', 'compiled', 'demo', 'snapshots', 'two.sql', 'customers_snapshot.sql'),
      );
      expect(existsSync(file)).toBe(true);
      expect(existsSync(written.get('snapshot.demo.orders_snapshot')!)).toBe(true);
      expect(compiled.get('snapshot.demo.orders_snapshot')!.sql.trim()).toBe(
        'select * from "analytics"."orders"',
      );
    } finally {
      project.cleanup();
    }
  });

  it.each([
    ['no unique_key', "strategy='check', check_cols='all'", /unique_key` is required/],
    ['no strategy', "unique_key='id'", /strategy` is required/],
    ['an unknown strategy', "unique_key='id', strategy='latest'", /unknown strategy 'latest'/],
    ['timestamp without updated_at', "unique_key='id', strategy='timestamp'", /needs `updated_at`/],
    ['check without check_cols', "unique_key='id', strategy='check'", /needs `check_cols`/],
    [
      'a bad hard_deletes',
      "unique_key='id', strategy='check', check_cols='all', hard_deletes='drop'",
      /hard_deletes 'drop'/,
    ],
  ])('rejects %s, naming the snapshot and its file', async (_case, config, message) => {
    const err = await parseError({
      'snapshots/s.sql': `\n{% snapshot snap %}\n{{ config(${config}) }}\nselect 1 as id\n{% endsnapshot %}\n`,
    });
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toMatch(/^snapshot snap: /);
    expect(err.message).toMatch(message);
    expect(err.location.file).toBe('snapshots/s.sql');
  });

  it('reports a Jinja error in a second block at its line in the file', async () => {
    const err = await parseError({
      'snapshots/s.sql':
        "{% snapshot a %}{{ config(unique_key='id', strategy='check', check_cols='all') }}select 1 as id{% endsnapshot %}\n\n" +
        "{% snapshot b %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect {{ ref('nope') }}\n{% endsnapshot %}\n",
    });
    expect(err.code).toBe('UNKNOWN_REF');
    expect(err.location).toMatchObject({ file: 'snapshots/s.sql', line: 5 });
  });

  it('rejects an unclosed block and a YAML relation that is not ref() or source()', async () => {
    const unclosed = await parseError({ 'snapshots/s.sql': '\n\n{% snapshot s %}\nselect 1\n' });
    expect(unclosed).toMatchObject({ code: 'JINJA_SYNTAX', location: { file: 'snapshots/s.sql', line: 3 } });
    const badRelation = await parseError({
      'snapshots/s.yml': 'snapshots:\n  - name: s\n    relation: orders\n',
    });
    expect(badRelation).toMatchObject({
      code: 'YAML_SCHEMA',
      location: { file: 'snapshots/s.yml', line: 2 },
    });
  });

  it('rejects two snapshots with one name', async () => {
    const block =
      "{% snapshot s %}{{ config(unique_key='id', strategy='check', check_cols='all') }}select 1 as id{% endsnapshot %}";
    const err = await parseError({ 'snapshots/a.sql': block, 'snapshots/b.sql': block });
    expect(err.code).toBe('DUPLICATE_NODE');
  });
});
