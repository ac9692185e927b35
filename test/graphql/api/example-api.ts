/**
 * The example project generated, built and served in-process for the API tests: a small
 * InnovateCorp dataset in the test's own schemas, `startServer` on an ephemeral port, and a
 * client that posts GraphQL over HTTP as any client does.
 */
import * as path from 'node:path';
import { generate } from '../../../src/generate';
import { runProject } from '../../../src/run/runner';
import { startServer, type RunningServer } from '../../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../../helpers/project-warehouse';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ADMIN = { authorization: 'Bearer api-test-admin' };

export interface GqlBody {
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface ExampleApi {
  pw: ProjectWarehouse;
  rawSchema: string;
  server: RunningServer;
  /** Every event the server logged, in order. */
  events: Record<string, unknown>[];
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlBody>;
  /** `"schema"."name"` of a model of the example in the test schema. */
  rel(name: string): string;
  /** run_history rows of `uniqueId` with `trigger`. */
  runs(uniqueId: string, trigger: string): Promise<number>;
  close(): Promise<void>;
}

export async function startExampleApi(
  options: { customers?: number; days?: number } = {},
): Promise<ExampleApi> {
  const pw = await openProjectWarehouse();
  const rawSchema = `${pw.schema}_raw`;
  const previousStateSchema = process.env.MARTQL_STATE_SCHEMA;
  process.env.MARTQL_STATE_SCHEMA = pw.stateSchema;
  const common = {
    projectDir: ROOT,
    warehouse: pw.wh,
    target: pw.target,
    stateSchema: pw.stateSchema,
    vars: { raw_schema: rawSchema },
    noParseCache: true,
  };
  await generate(pw.wh, {
    customers: options.customers ?? 300,
    days: options.days ?? 60,
    seed: 17,
    schema: rawSchema,
  });
  const build = await runProject({ ...common, command: 'build' });
  const failed = build.results.filter((r) => r.status === 'error' || r.status === 'fail').map((r) => r.name);
  if (failed.length > 0) throw new Error(`example build failed: ${failed.join(', ')}`);
  const events: Record<string, unknown>[] = [];
  const server = await startServer({
    ...common,
    port: 0,
    host: '127.0.0.1',
    // Every query checks freshness anew, so a change made by the test is seen at once.
    freshnessIntervalMs: 0,
    adminToken: ADMIN.authorization.slice('Bearer '.length),
    log: (event) => events.push(event),
  });
  return {
    pw,
    rawSchema,
    server,
    events,
    async gql(query, variables, headers = {}) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlBody;
    },
    rel: (name) => `"${pw.schema}"."${name}"`,
    async runs(uniqueId, trigger) {
      const { rows } = await pw.wh.query<{ n: number }>(
        `select count(*)::int as n from "${pw.stateSchema}".run_history where unique_id = $1 and trigger = $2`,
        [uniqueId, trigger],
      );
      return rows[0].n;
    },
    async close() {
      await server.close();
      if (previousStateSchema === undefined) delete process.env.MARTQL_STATE_SCHEMA;
      else process.env.MARTQL_STATE_SCHEMA = previousStateSchema;
      await pw.cleanup();
    },
  };
}
