/**
 * Two `martql serve` processes on one Postgres, queried at once on a stale model: the advisory
 * lock lets one refresh, and the other, re-checking after the lock, answers without refreshing
 * again — exactly one `graphql` run in run_history. Postgres only: an embedded PGlite database
 * belongs to a single process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { generate, simulate } from '../../../src/generate';
import { runProject } from '../../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../../helpers/project-warehouse';
import { ROOT, type GqlBody } from './example-api';

const COHORT_ID = 'model.analytics_engineering_toolkit.cohort_retention';
const onPostgres = Boolean(process.env.DATABASE_URL);

interface ServeProcess {
  child: ChildProcess;
  url: string;
}

/** Starts `martql serve` on a free port and resolves with its URL once it listens. */
function serve(env: NodeJS.ProcessEnv, vars: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'martql.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--vars', vars],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in 120 s:\n${out}\n${err}`)),
      120_000,
    );
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /MartQL GraphQL API at (http[^\s,]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}\n${err}`));
    });
  });
}

function stop(server: ServeProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

(onPostgres ? describe : describe.skip)('two server processes on one Postgres', () => {
  let pw: ProjectWarehouse;
  let rawSchema: string;
  const servers: ServeProcess[] = [];
  const previousStateSchema = process.env.MARTQL_STATE_SCHEMA;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    rawSchema = `${pw.schema}_raw`;
    // model_performance reads run_history from the state schema named here.
    process.env.MARTQL_STATE_SCHEMA = pw.stateSchema;
    const vars = { raw_schema: rawSchema };
    await generate(pw.wh, { customers: 200, days: 45, seed: 5, schema: rawSchema });
    const build = await runProject({
      projectDir: ROOT,
      command: 'build',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars,
      noParseCache: true,
    });
    expect(
      build.results
        .filter((r) => r.status === 'error' || r.status === 'fail')
        .map((r) => `${r.name}: ${r.message}`),
    ).toEqual([]);
    const env = {
      ...process.env,
      MARTQL_SCHEMA: pw.schema,
      MARTQL_STATE_SCHEMA: pw.stateSchema,
    };
    servers.push(
      ...(await Promise.all([serve(env, JSON.stringify(vars)), serve(env, JSON.stringify(vars))])),
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all(servers.map(stop));
    if (previousStateSchema === undefined) delete process.env.MARTQL_STATE_SCHEMA;
    else process.env.MARTQL_STATE_SCHEMA = previousStateSchema;
    await pw?.cleanup();
  });

  it('refresh a stale model exactly once between them', async () => {
    await simulate(pw.wh, { days: 3, schema: rawSchema });
    const count = async () =>
      (
        await pw.wh.query<{ n: number }>(
          `select count(*)::int as n from "${pw.stateSchema}".run_history where unique_id = $1 and trigger = 'graphql'`,
          [COHORT_ID],
        )
      ).rows[0].n;
    expect(await count()).toBe(0);
    const query = `{ cohortRetention(orderBy: [{ column: COHORT_TYPE }, { column: COHORT_START }, { column: PERIOD_NUMBER }], limit: 1000) {
      rows { cohortType cohortStart periodNumber activeUsers } meta { freshness } } }`;
    const ask = async (url: string): Promise<GqlBody> =>
      (await (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        })
      ).json()) as GqlBody;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => ask(servers[i % 2].url)));
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    expect(await count()).toBe(1);
    const labels = new Set(answers.map((a) => a.data!.cohortRetention.meta.freshness));
    expect(labels.has('REFRESHED')).toBe(true);
    expect([...labels].every((l) => l === 'REFRESHED' || l === 'FRESH')).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.data!.cohortRetention.rows))).size).toBe(1);
  });
});
