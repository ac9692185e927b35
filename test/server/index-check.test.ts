/**
 * `martql serve` warns at startup about filterable columns without an index on big tables: built
 * with a declared index on one column of an exposed 20,000-row table, it names exactly the other
 * column, and nothing for a table below the threshold.
 */
import { runProject } from '../../src/run/runner';
import { startServer } from '../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const YAML = `version: 2
models:
  - name: big
    config: { graphql: true }
    columns:
      - { name: id, data_type: integer }
      - { name: bucket, data_type: integer }
      - { name: attrs, data_type: jsonb }
  - name: small
    config: { graphql: true }
    columns:
      - { name: id, data_type: integer }
`;

describe('missing-index warnings at startup', () => {
  let pw: ProjectWarehouse;
  let project: ReturnType<typeof tempProject>;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject({
      'dbt_project.yml': 'name: idx\nversion: "1"\nprofile: x\n',
      'models/big.sql':
        "{{ config(materialized='table', indexes=[{'columns': ['id'], 'unique': true}]) }}\n" +
        "select g as id, g % 10 as bucket, '{}'::jsonb as attrs from generate_series(1, 20000) g",
      'models/small.sql': "{{ config(materialized='table') }}\nselect g as id from generate_series(1, 50) g",
      'models/_p.yml': YAML,
    });
    const build = await runProject({
      projectDir: project.dir,
      command: 'run',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    });
    expect(build.success).toBe(true);
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  it('names the unindexed filterable column of the big table only', async () => {
    const events: Record<string, unknown>[] = [];
    const server = await startServer({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      port: 0,
      host: '127.0.0.1',
      noParseCache: true,
      indexWarningRows: 1000,
      log: (event) => events.push(event),
    });
    await server.services.background.settle();
    await server.close();
    const warnings = events.filter((e) => e.event === 'missing_index');
    expect(warnings).toEqual([
      expect.objectContaining({
        model: 'big',
        columns: ['bucket'],
        rows: 20000,
        message: expect.stringContaining('indexes'),
      }),
    ]);
  });
});
