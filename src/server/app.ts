/**
 * The MartQL API server: Apollo Server behind a plain Node `http` server with `/graphql` and
 * `/healthz`. `startServer` returns once it listens; `close()` stops accepting requests, lets
 * in-flight requests and background refreshes finish, then stops Apollo. The warehouse belongs to
 * the caller, who closes it after the server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { timingSafeEqual } from 'node:crypto';
import { createContext, resolvers, type ApiContext, type ApiServices } from '../graphql/resolvers';
import { buildSchema } from '../graphql/schema';
import { createFormatError } from './errors';
import { sendHealth, sendJson } from './health';
import { handleGraphql } from './http-graphql';
import { buildServices, type ServicesOptions } from './services';

export interface ServerOptions extends ServicesOptions {
  /** 4000 by default; 0 picks a free port. */
  port?: number;
  /** '0.0.0.0' by default. */
  host?: string;
  /** The bearer token that grants admin (NO_CACHE); MARTQL_ADMIN_TOKEN by default. None: no admin. */
  adminToken?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  services: ApiServices;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4000;
/** How long in-flight requests get to finish on shutdown. */
const CLOSE_GRACE_MS = 10_000;

function isAdmin(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

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
  const { schema } = buildSchema(services.manifest, resolvers);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    formatError: createFormatError(services.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Shutdown is ours (close(), called by `martql serve` on SIGTERM/SIGINT): Apollo's own signal
    // handlers would stop it under our feet and exit before in-flight refreshes and the warehouse close.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const adminToken = options.adminToken ?? (process.env.MARTQL_ADMIN_TOKEN || undefined);
  const started = Date.now();
  let stopping = false;
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const fail = (err: unknown) => {
      services.log({
        event: 'http_error',
        path: pathname,
        error: err instanceof Error ? err.message : String(err),
      });
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.end();
    };
    switch (pathname) {
      case '/healthz':
        return sendHealth(res, {
          status: stopping ? 'stopping' : 'ok',
          models: services.models.length,
          backgroundRefreshes: services.background.size,
          uptimeS: Math.round((Date.now() - started) / 1000),
        });
      case '/graphql': {
        const admin = isAdmin(req.headers.authorization, adminToken);
        const began = performance.now();
        handleGraphql(apollo, req, res, async () => createContext(services, admin))
          .then(() =>
            services.log({
              event: 'request',
              path: pathname,
              status: res.statusCode,
              ms: Math.round(performance.now() - began),
            }),
          )
          .catch(fail);
        return;
      }
      default:
        return sendJson(res, 404, { error: `no route ${pathname}; GraphQL is at /graphql` });
    }
  });
  const address = await listen(server, options.port ?? DEFAULT_PORT, options.host ?? '0.0.0.0');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

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
