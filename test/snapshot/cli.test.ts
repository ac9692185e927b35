/**
 * Snapshots through the real `martql` command: `martql snapshot --select` runs only the selected
 * snapshot, `martql build` runs seeds, snapshots, models and tests in DAG order (a model reads the
 * snapshot), and `martql deps` prints what the toolkit_consumer fixture resolved.
 *
 * On PGlite the commands keep their database in the project's `.martql/pglite`, read here after
 * they exit; with DATABASE_URL they build into a fresh test schema.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { openWarehouse, qualify, type Warehouse } from '../../src/warehouse';
import { DATABASE_URL } from '../helpers/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'martql.js');

const FILES = {
  'seeds/customers.csv': 'id,tier,updated_at\n1,gold,2024-01-01 00:00:00\n2,silver,2024-01-01 00:00:00\n',
  'snapshots/history.sql': `{% snapshot customers_history %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select * from {{ ref('customers') }}
{% endsnapshot %}
{% snapshot tiers_history %}
{{ config(unique_key='id', strategy='check', check_cols=['tier']) }}
select id, tier from {{ ref('customers') }}
{% endsnapshot %}
`,
  'models/current_tiers.sql':
    "select id, tier, dbt_valid_from from {{ ref('customers_history') }} where dbt_valid_to is null\n",
  'models/schema.yml':
    'version: 2\nsnapshots:\n  - name: customers_history\n    columns:\n      - name: dbt_scd_id\n        data_tests: [unique, not_null]\n',
};

describe('martql snapshot and build on the command line', () => {
  let pw: ProjectWarehouse | undefined;
  afterEach(async () => {
    await pw?.cleanup();
    pw = undefined;
  });

  it('snapshots the selection, then builds snapshots before the models that read them', async () => {
    const project = tempProject(FILES);
    let env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' };
    let schema = 'public';
    if (DATABASE_URL) {
      pw = await openProjectWarehouse();
      schema = pw.schema;
      env = { ...process.env, MARTQL_SCHEMA: pw.schema, MARTQL_STATE_SCHEMA: pw.stateSchema };
    }
    const martql = async (...args: string[]) =>
      (await run('node', [BIN, ...args, '--project-dir', project.dir], { env })).stdout;
    let wh: Warehouse | undefined;
    try {
      await martql('seed');
      const snapshotted = await martql('snapshot', '--select', 'customers_history');
      expect(snapshotted).toMatch(/Found 1 snapshot\b/);
      expect(snapshotted).toMatch(
        /1 of 1 OK created snapshot "[^"]+"\."customers_history" \.+ \[SNAPSHOT 2 in/,
      );
      expect(snapshotted).not.toContain('tiers_history');

      const built = await martql('build');
      const order = [
        'seed file',
        'customers_history',
        'tiers_history',
        'current_tiers',
        'unique_customers_history',
      ];
      const positions = order.map((what) =>
        built.search(new RegExp(`OK created [^\\n]*${what}|PASS ${what}`)),
      );
      expect(positions.every((p) => p >= 0)).toBe(true);
      // Snapshots after the seed, the model after its snapshot, the snapshot's tests after it.
      expect(positions[1]).toBeGreaterThan(positions[0]);
      expect(positions[3]).toBeGreaterThan(positions[1]);
      expect(built).toMatch(/Done\. PASS=6 WARN=0 ERROR=0 SKIP=0 TOTAL=6/);

      wh = pw ? pw.wh : await openWarehouse({ dataDir: path.join(project.dir, '.martql', 'pglite') });
      // The build ran the snapshot a second time over unchanged data: nothing new.
      const history = await wh.query(
        `select count(*)::int as n from ${qualify(schema, 'customers_history')}`,
      );
      expect(history.rows).toEqual([{ n: 2 }]);
      const current = await wh.query(`select id, tier from ${qualify(schema, 'current_tiers')} order by id`);
      expect(current.rows).toEqual([
        { id: 1, tier: 'gold' },
        { id: 2, tier: 'silver' },
      ]);
    } finally {
      if (wh && !pw) await wh.close();
      project.cleanup();
    }
    // Three CLI processes, each starting tsx and (on PGlite) the embedded database.
  }, 180_000);

  it('martql deps prints the resolved packages and where it recorded them', async () => {
    const fixture = path.resolve(__dirname, '..', 'fixtures', 'toolkit_consumer');
    const { stdout } = await run('node', [BIN, 'deps', '--project-dir', fixture]);
    expect(stdout).toMatch(
      /Resolved 1 package:\n\s+analytics_engineering_toolkit\s+0\.1\.0\s+local\s+\.\.\/\.\.\/\.\.\n/,
    );
    expect(stdout).toContain('Wrote target/packages.json');
  });
});
