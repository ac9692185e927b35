/**
 * PostGraphile v4 as a peer baseline for the GraphQL read benchmark: a widely used server that
 * derives a GraphQL API from a Postgres schema, started in-process on 127.0.0.1:0 against the
 * schema MartQL built, so that both servers share the machine (and one event loop's worth of CPU)
 * the same way and read the same table through the same kind of pool.
 *
 * PostGraphile v4 needs graphql 15 while MartQL uses 16. npm nests graphql@15 under postgraphile,
 * but hoists graphile-build-pg and graphql-parse-resolve-info to the top (their declared ranges
 * accept 16), where they load a second graphile-build and graphql; graphql-js's `instanceof`
 * checks then fail across the copies ("Unexpected input type: Int"). So before PostGraphile is
 * loaded, `graphql` and `graphile-build` required from inside its own packages are resolved from
 * postgraphile's folder: one copy of each for PostGraphile, graphql 16 for everything else. The
 * module is loaded on first use only, so the other benchmarks never see the hook.
 */
import * as http from 'node:http';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';

/** PostGraphile's spelling of the benchmark's read (bench/graphql-read.ts READ_QUERY). */
export const POSTGRAPHILE_READ_QUERY = `query Read($model: String!, $first: Int!) {
  allFctAttributions(condition: { attributionModel: $model },
                     orderBy: [CONVERTED_AT_DESC, TOUCHPOINT_ID_ASC], first: $first) {
    nodes { conversionId customerId touchpointId channel campaign attributionModel weight attributedValue touchedAt convertedAt }
  }
}`;

export interface PostGraphileServer {
  url: string;
  close(): Promise<void>;
}

// Packages of PostGraphile v4's own tree whose `graphql` / `graphile-build` must be its copies.
const FAMILY =
  /[\\/]node_modules[\\/](?:postgraphile|postgraphile-core|graphile-build|graphile-build-pg|graphile-utils|graphql-parse-resolve-info|subscriptions-transport-ws|graphql-ws)[\\/](?!.*[\\/]node_modules[\\/])/;
const REDIRECTED = /^(?:graphql|graphile-build)(?:\/|$)/;

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
let hooked = false;

function resolveFromPostgraphile(): void {
  if (hooked) return;
  hooked = true;
  const root = path.dirname(require.resolve('postgraphile/package.json'));
  const loader = Module as unknown as { _resolveFilename: Resolve };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
    if (parent?.filename && REDIRECTED.test(request) && FAMILY.test(parent.filename))
      return require.resolve(request, { paths: [root] });
    return original.call(this, request, parent, ...rest);
  };
}

function listen(server: http.Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
}

/**
 * PostGraphile serving `schema` (queries only) through `pool`. Defaults otherwise, except what would
 * add work MartQL's side does not do: the per-query console log, GraphiQL and the schema watcher.
 */
export async function startPostGraphile(pool: Pool, schema: string): Promise<PostGraphileServer> {
  resolveFromPostgraphile();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { postgraphile } = require('postgraphile') as typeof import('postgraphile');
  const middleware = postgraphile(pool, [schema], {
    disableDefaultMutations: true,
    disableQueryLog: true,
    graphiql: false,
    watchPg: false,
    retryOnInitFail: false,
    graphqlRoute: '/graphql',
  });
  const server = http.createServer(middleware);
  // MartQL's server keeps idle keep-alive connections 5 s: the same here, so resets compare.
  server.keepAliveTimeout = 5_000;
  const address = await listen(server);
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await middleware.release();
    },
  };
}
