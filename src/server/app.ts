/**
 * The MartQL API server: Apollo Server behind a plain Node `http` server.
 *
 * - `/` the GraphiQL playground and `/playground/*` its files (open to all, see playground.ts);
 * - `/graphql` GraphQL, with depth/cost validation rules and an execution time limit;
 * - `/metrics` Prometheus metrics of this server (see metrics.ts);
 * - `/healthz` liveness, never touching the warehouse;
 * - `/docs` the project's docs site (see docs/docs-route.ts);
 * - `/dashboard` the reference dashboard, static files from `assets/dashboard` that read only
 *   /graphql, as any BI frontend would.
 *
 * `/graphql`, `/metrics` and the docs' data need the read or admin token when a read token is set (see auth.ts).
 * Each /graphql request is one `request` event in the log: operation name and type, status, ms and
 * error codes. `startServer` returns once it listens; `close()` stops accepting requests, lets
 * in-flight requests and background refreshes finish, then stops Apollo. The warehouse belongs to
 * the caller, who closes it after the server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { createDocsRoute } from '../docs/docs-route';
import { buildSchema } from '../graphql';
import type { ApiContext } from '../graphql/resolvers';
import { createFormatError } from './errors';
import { DEFAULT_INDEX_WARNING_ROWS, logMissingIndexes } from './index-check';
import { createPlayground } from './playground';
import { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH, queryLimitRules } from './query-limits';
import { rawJsonPlugin } from './raw-json-plugin';
import { createRequestRecorder } from './request-log';
import { createRequestListener } from './routes';
import {
  buildServices,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ServerServices,
  type ServicesOptions,
} from './services';
import { createStaticFiles } from './static-files';

export interface ServerOptions extends ServicesOptions {
  /** 4000 by default; 0 picks a free port. */
  port?: number;
  /** Warn about unindexed filterable columns on tables of at least this many rows (10,000); 0 checks none. */
  indexWarningRows?: number;
  /** '0.0.0.0' by default. */
  host?: string;
  /** The bearer token that grants admin (mutations, NO_CACHE); MARTQL_ADMIN_TOKEN by default. None: no admin. */
  adminToken?: string;
  /** The bearer token reads need; MARTQL_READ_TOKEN by default. None: reads are open. */
  readToken?: string;
  /** Deepest field nesting a query may have; 16 by default. */
  maxDepth?: number;
  /** Largest query cost (fields times list limits, see query-limits.ts); 100,000 by default. */
  maxCost?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  services: ServerServices;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4000;
export { DEFAULT_REQUEST_TIMEOUT_MS };
/** How long in-flight requests get to finish on shutdown. */
const CLOSE_GRACE_MS = 10_000;
const HEADERS_TIMEOUT_MS = 15_000;
/** Receiving a whole request (1 MB at most, see http-graphql.ts). */
const RECEIVE_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const DASHBOARD_DIR = path.resolve(__dirname, '..', '..', 'assets', 'dashboard');

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const services = await buildServices(options);
  const { schema } = buildSchema(services.manifest);
  const recorder = createRequestRecorder();
  const apollo = new ApolloServer<ApiContext>({
    schema,
    validationRules: queryLimitRules({
      maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
      // A server that allows bigger pages allows their cost: a full page of 100 fields fits.
      maxCost: options.maxCost ?? Math.max(DEFAULT_MAX_COST, services.maxLimit * 100),
      variableLimit: services.maxLimit,
    }),
    // The cache-control plugin Apollo installs by default wraps every field's resolver (a large
    // share of the time of a 10,000-row answer); MartQL does not use cache hints, so it is off.
    plugins: [recorder.plugin, rawJsonPlugin, ApolloServerPluginCacheControlDisabled()],
    formatError: createFormatError(services.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // One operation per HTTP request: the request's context (and its raw JSON slots, see
    // raw-json-plugin.ts) belongs to that one operation.
    allowBatchedHttpRequests: false,
    // Shutdown is ours (close(), called by `martql serve` on SIGTERM/SIGINT): Apollo's own signal
    // handlers would stop it under our feet and exit before in-flight refreshes and the warehouse close.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const auth = {
    adminToken: options.adminToken ?? (process.env.MARTQL_ADMIN_TOKEN || undefined),
    readToken: options.readToken ?? (process.env.MARTQL_READ_TOKEN || undefined),
  };
  const playground = createPlayground(services.models, { authRequired: auth.readToken !== undefined });
  let stopping = false;
  const server = createServer(
    createRequestListener({
      services,
      apollo,
      playground,
      files: createStaticFiles([
        ...playground.mounts,
        // Ours, edited with the server: revalidated on every load (a 304 when unchanged).
        { prefix: '/dashboard/', dir: DASHBOARD_DIR, maxAgeS: 0 },
      ]),
      docs: createDocsRoute({
        projectDir: options.projectDir,
        warehouse: services.warehouse,
        target: options.target,
        vars: options.vars,
        noParseCache: options.noParseCache,
        log: services.log,
      }),
      recorder,
      auth,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      started: Date.now(),
      isStopping: () => stopping,
    }),
  );
  // A client that trickles its headers or body holds a socket; these bound how long. Execution time
  // is bounded separately (requestTimeoutMs), after the request has arrived.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = RECEIVE_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const address = await listen(server, options.port ?? DEFAULT_PORT, options.host ?? '0.0.0.0');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const indexWarningRows = options.indexWarningRows ?? DEFAULT_INDEX_WARNING_ROWS;
  const indexCheck =
    indexWarningRows > 0 ? logMissingIndexes(services, indexWarningRows) : Promise.resolve(0);
  services.background.add(indexCheck, () => undefined);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}/graphql`,
    port: address.port,
    services,
    close() {
      closing ??= (async () => {
        stopping = true;
        // Stop accepting; idle keep-alive sockets would hold `close` open, busy ones finish first.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
        clearTimeout(timer);
        // A socket kept alive after its last response would hold `close` open for good.
        server.closeAllConnections();
        await closed;
        await services.background.settle();
        await apollo.stop();
      })();
      return closing;
    },
  };
}
