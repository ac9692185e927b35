/**
 * The server's routes, one function per HTTP request: which path is served how, who may ask
 * (auth.ts), and the one `request` log line per /graphql request, which also feeds the latency
 * metric. Kept apart from app.ts, which builds the pieces and owns the server's lifecycle.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { DOCS_DATA_PATH, type DocsRoute } from '../docs/docs-route';
import { createContext, type ApiContext } from '../graphql/resolvers';
import { accessOf, sendUnauthenticated, type AuthOptions } from './auth';
import { sendHealth, sendJson } from './health';
import { handleGraphql } from './http-graphql';
import type { Playground } from './playground';
import type { RequestRecorder } from './request-log';
import type { ServerServices } from './services';
import type { StaticFiles } from './static-files';

export interface Routes {
  services: ServerServices;
  apollo: ApolloServer<ApiContext>;
  playground: Playground;
  files: StaticFiles;
  /** `/docs` (docs-route.ts): the written site or one generated on demand. */
  docs: DocsRoute;
  recorder: RequestRecorder;
  auth: AuthOptions;
  requestTimeoutMs: number;
  /** When the server started (epoch ms), for /healthz. */
  started: number;
  isStopping(): boolean;
}

export function createRequestListener(routes: Routes): RequestListener {
  const { services } = routes;

  const fail = (res: ServerResponse, pathname: string) => (err: unknown) => {
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

  async function graphql(req: IncomingMessage, res: ServerResponse, admin: boolean): Promise<void> {
    const began = performance.now();
    const context = createContext(services, admin);
    const record = routes.recorder.track(context);
    const handled = await handleGraphql(routes.apollo, req, res, async () => context, {
      timeoutMs: routes.requestTimeoutMs,
      background: services.background,
      log: services.log,
      rawJson: context.rawJson,
    });
    services.log({
      event: 'request',
      path: '/graphql',
      operationName: record.operationName,
      operationType: record.operationType,
      status: res.statusCode,
      ms: Math.round(performance.now() - began),
      errors: [...record.errorCodes, ...handled.errorCodes],
      admin,
    });
  }

  async function metrics(res: ServerResponse): Promise<void> {
    const { contentType, text } = await services.metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  return (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const access = () => accessOf(req.headers.authorization, routes.auth);
    switch (pathname) {
      case '/':
        return routes.playground.sendPage(req, res);
      case '/healthz':
        return sendHealth(res, {
          status: routes.isStopping() ? 'stopping' : 'ok',
          models: services.models.length,
          backgroundRefreshes: services.background.size,
          uptimeS: Math.round((Date.now() - routes.started) / 1000),
        });
      case '/metrics':
        if (!access().read) return sendUnauthenticated(res);
        metrics(res).catch(fail(res, pathname));
        return;
      case '/graphql': {
        const { admin, read } = access();
        if (!read) {
          services.log({ event: 'request', path: pathname, status: 401, ms: 0, errors: ['UNAUTHENTICATED'] });
          return sendUnauthenticated(res);
        }
        graphql(req, res, admin).catch(fail(res, pathname));
        return;
      }
      case '/dashboard':
        // The page loads its files by relative URLs, which resolve against the folder.
        res.writeHead(301, { location: '/dashboard/' }).end();
        return;
      case '/dashboard/':
        routes.files.serve(req, res, '/dashboard/index.html').catch(fail(res, pathname));
        return;
      default:
        // The docs' data holds the project's code and schema: as closed as /graphql.
        if (pathname === DOCS_DATA_PATH && !access().read) return sendUnauthenticated(res);
        routes.docs
          .serve(req, res, pathname)
          .then((served) => served || routes.files.serve(req, res, pathname))
          .then((served) => {
            if (!served)
              sendJson(res, 404, {
                error: `no route ${pathname}; GraphQL is at /graphql, the playground at /, docs at /docs, the dashboard at /dashboard`,
              });
          })
          .catch(fail(res, pathname));
    }
  };
}
