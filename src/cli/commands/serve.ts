/**
 * `martql serve`: the GraphQL API over the project's warehouse (Postgres at DATABASE_URL, else the
 * embedded PGlite in `.martql/pglite`) on port 4000. SIGTERM or SIGINT stops it gracefully:
 * in-flight requests and refreshes finish, then the warehouse closes.
 */
import * as path from 'node:path';
import { MartqlError } from '../../errors';
import { DEFAULT_PORT, jsonLogger, startServer } from '../../server';
import { openProjectWarehouse } from '../warehouse-from-env';

export interface ServeCommandOptions {
  projectDir: string;
  port?: string;
  host?: string;
  vars?: string;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MartqlError('PROJECT_CONFIG', `--port takes a port number (0-65535), not '${value}'`);
  }
  return port;
}

export async function serveCommand(options: ServeCommandOptions): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const port = parsePort(options.port);
  const log = jsonLogger();
  const warehouse = await openProjectWarehouse(projectDir);
  let server;
  try {
    server = await startServer({
      projectDir,
      warehouse,
      port,
      host: options.host,
      vars: options.vars,
      stateSchema: process.env.MARTQL_STATE_SCHEMA || undefined,
      log,
    });
  } catch (err) {
    await warehouse.close();
    throw err;
  }
  const running = server;
  log({ event: 'listening', url: running.url, models: running.services.models.map((m) => m.fieldName) });
  process.stdout.write(`MartQL GraphQL API at ${running.url}\n`);

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
