/**
 * `martql docs generate` through the real binary on jaffle_shop, after `martql build` in the same
 * warehouse (embedded PGlite in the project, or Postgres at DATABASE_URL in schemas of its own): it
 * says what it wrote, writes manifest.json, catalog.json with every built relation, and the site,
 * and a project whose model does not compile fails with the file named and exit code 1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { openWarehouse, quoteIdent } from '../../src/warehouse';
import { copyFixture } from '../helpers/temp-project';
import { DATABASE_URL, uniqueSchemaName } from '../helpers/warehouse';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'martql.js');

describe('martql docs generate (CLI)', () => {
  const schema = uniqueSchemaName('docs_cli');
  const env = { ...process.env, MARTQL_SCHEMA: schema, MARTQL_STATE_SCHEMA: `${schema}_state` };
  let project: { dir: string; cleanup(): void };

  const martql = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run('node', [BIN, ...args, '--project-dir', project.dir], { env });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(() => {
    project = copyFixture('jaffle_shop');
  });

  afterAll(async () => {
    project?.cleanup();
    if (DATABASE_URL) {
      const wh = await openWarehouse({ url: DATABASE_URL });
      try {
        for (const s of [schema, `${schema}_state`])
          await wh.query(`drop schema if exists ${quoteIdent(s)} cascade`);
      } finally {
        await wh.close();
      }
    }
  });

  it('writes the artifacts and the site after a build', async () => {
    const build = await martql('build');
    expect(build.code).toBe(0);
    const docs = await martql('docs', 'generate');
    expect(docs.stderr).toBe('');
    expect(docs.code).toBe(0);
    expect(docs.stdout).toMatch(
      /Wrote .*manifest\.json, .*catalog\.json \(8 relations\) and the site in .*docs\//,
    );
    expect(docs.stdout).toContain('(8 nodes, 16 tests)');
    const target = path.join(project.dir, 'target');
    const catalog = JSON.parse(readFileSync(path.join(target, 'catalog.json'), 'utf8'));
    expect(Object.keys(catalog.nodes)).toHaveLength(8);
    for (const entry of Object.values(catalog.nodes) as { metadata: { schema: string } }[])
      expect(entry.metadata.schema).toBe(schema);
    expect(JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8')).metadata.project_name).toBe(
      'jaffle_shop',
    );
    expect(existsSync(path.join(target, 'docs', 'index.html'))).toBe(true);
    expect(existsSync(path.join(target, 'compiled', 'jaffle_shop', 'models', 'marts', 'orders.sql'))).toBe(
      true,
    );
  });

  it('fails naming the model that does not compile', async () => {
    const file = path.join(project.dir, 'models', 'marts', 'customers.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{ ref('custmers') }}\n`);
    const docs = await martql('docs', 'generate');
    expect(docs.code).toBe(1);
    expect(docs.stdout + docs.stderr).toMatch(/models\/marts\/customers\.sql/);
    expect(docs.stdout + docs.stderr).toMatch(/custmers/);
  });
});
