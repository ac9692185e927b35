/**
 * `martql serve`: the GraphQL API over the project's warehouse (Postgres at DATABASE_URL, else the
 * embedded PGlite in `.martql/pglite`) on port 4000, with the playground at `/` and metrics at
 * `/metrics`. Tokens come from the environment (MARTQL_ADMIN_TOKEN, MARTQL_READ_TOKEN), never from
 * the command line where `ps` would show them. SIGTERM or SIGINT stops it gracefully: in-flight
 * requests and refreshes finish, then the warehouse closes.
 */
import * as path from 'node:path';
import { MartqlError } from '../../errors';
import { DEFAULT_PORT, jsonLogger, startServer, type ServerOptions } from '../../server';
import type { Warehouse } from '../../warehouse';
import { openProjectWarehouse } from '../warehouse-from-env';

export interface ServeCommandOptions {
  projectDir: string;
  port?: string;
  host?: string;
  vars?: string;
  maxDepth?: string;
  maxCost?: string;
  requestTimeoutMs?: string;
}

function whole(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `--${flag} takes a whole number from ${min} to ${max}, not '${value}'`,
    );
  }
  return n;
}

/** The server options the flags give; checked before anything is opened. */
export function serverFlags(options: ServeCommandOptions): Partial<ServerOptions> & { port: number } {
  return {
    port: whole('port', options.port, 0, 65535) ?? DEFAULT_PORT,
    host: options.host,
    vars: options.vars,
    maxDepth: whole('max-depth', options.maxDepth, 1, 1000),
    maxCost: whole('max-cost', options.maxCost, 1, Number.MAX_SAFE_INTEGER),
    requestTimeoutMs: whole('request-timeout-ms', options.requestTimeoutMs, 1, 24 * 3600 * 1000),
  };
}

/**
 * Serves on an open warehouse until SIGTERM/SIGINT, then closes the server and the warehouse
 * (also when the server fails to start).
 */
export async function serveWarehouse(
  warehouse: Warehouse,
  projectDir: string,
  flags: ReturnType<typeof serverFlags>,
): Promise<void> {
  const log = jsonLogger();
  let server;
  try {
    server = await startServer({
      ...flags,
      projectDir,
      warehouse,
      stateSchema: process.env.MARTQL_STATE_SCHEMA || undefined,
      log,
    });
  } catch (err) {
    await warehouse.close();
    throw err;
  }
  const running = server;
  log({ event: 'listening', url: running.url, models: running.services.models.map((m) => m.fieldName) });
  const playground = running.url.replace(/\/graphql$/, '/').replace('//0.0.0.0:', '//localhost:');
  process.stdout.write(
    `MartQL GraphQL API at ${running.url}, playground at ${playground}, ` +
      `docs at ${playground}docs, dashboard at ${playground}dashboard\n`,
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log({ event: 'stopping', signal });
      running
        .close()
        .catch((err: unknown) => log({ event: 'stop_failed', error: String(err) }))
        .then(() => warehouse.close())
        .catch((err: unknown) => log({ event: 'warehouse_close_failed', error: String(err) }))
        .finally(() => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          resolve();
        });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export async function serveCommand(options: ServeCommandOptions): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const flags = serverFlags(options);
  await serveWarehouse(await openProjectWarehouse(projectDir), projectDir, flags);
}
