/**
 * A build killed mid-way (SIGKILL, no chance to clean up) leaves every relation readable, and the
 * next build succeeds. Runs the real CLI in a child process against the test warehouse's database:
 * Postgres when DATABASE_URL is set, else a PGlite data directory in the project.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openWarehouse, quoteIdent } from '../../src/warehouse';
import { uniqueSchemaName, DATABASE_URL } from '../helpers/warehouse';
import { tempProject } from '../helpers/temp-project';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'martql.js');

function cli(dir: string, env: NodeJS.ProcessEnv, onLine?: (line: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
    const child = spawn('node', [BIN, 'build', '--project-dir', dir], { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of chunk.toString().split('\n')) onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('a build killed with SIGKILL', () => {
  it('leaves every relation readable and the next build succeeds', async () => {
    const schema = uniqueSchemaName('kill');
    const project = tempProject({
      'models/base.sql': "{{ config(materialized='table') }}select g as id from generate_series(1, 1000) g",
      'models/slow.sql':
        "{{ config(materialized='table') }}select id, 'v1' as version from {{ ref('base') }}",
      'models/reader.sql': "select count(*) as n, min(version) as version from {{ ref('slow') }}",
    });
    const env = {
      DATABASE_URL: DATABASE_URL ?? '',
      MARTQL_SCHEMA: schema,
      MARTQL_STATE_SCHEMA: `${schema}_state`,
    };
    try {
      const first = await cli(project.dir, env);
      expect(first.out).toMatch(/Done\. PASS=3 WARN=0 ERROR=0 SKIP=0/);
      expect(first.code).toBe(0);

      // The new version sleeps inside its build transaction: kill the process there.
      writeFileSync(
        path.join(project.dir, 'models', 'slow.sql'),
        "{{ config(materialized='table') }}select id, 'v2' as version from {{ ref('base') }}, (select pg_sleep(3)) s",
      );
      let killedAt = '';
      const killed = await cli(project.dir, env, (line, kill) => {
        if (!killedAt && /START sql table model .*"slow"/.test(line)) {
          killedAt = line;
          setTimeout(kill, 800);
        }
      });
      expect(killedAt).not.toBe('');
      expect(killed.signal).toBe('SIGKILL');

      const wh = await openWarehouse({
        url: DATABASE_URL,
        dataDir: DATABASE_URL ? undefined : path.join(project.dir, '.martql', 'pglite'),
      });
      try {
        const { rows } = await wh.query(`select * from ${quoteIdent(schema)}.reader`);
        expect(rows).toEqual([{ n: 1000, version: 'v1' }]);
      } finally {
        await wh.close();
      }

      const again = await cli(project.dir, env);
      expect(again.out).toMatch(/Done\. PASS=3 WARN=0 ERROR=0 SKIP=0/);
      const wh2 = await openWarehouse({
        url: DATABASE_URL,
        dataDir: DATABASE_URL ? undefined : path.join(project.dir, '.martql', 'pglite'),
      });
      try {
        const { rows } = await wh2.query(`select * from ${quoteIdent(schema)}.reader`);
        expect(rows).toEqual([{ n: 1000, version: 'v2' }]);
        const leftovers = await wh2.query(
          "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and (relname like '%__dbt_tmp%' or relname like '%__dbt_backup%')",
          [schema],
        );
        expect(leftovers.rows).toEqual([]);
        if (DATABASE_URL) {
          await wh2.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
          await wh2.query(`drop schema if exists ${quoteIdent(`${schema}_state`)} cascade`);
        }
      } finally {
        await wh2.close();
      }
    } finally {
      project.cleanup();
    }
  }, 120_000);
});
