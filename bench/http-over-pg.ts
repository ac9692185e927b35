/**
 * Bare HTTP servers for the GraphQL read benchmark. The floor under any HTTP API that reads
 * Postgres on every request: a bare node:http server that sends one fixed statement through a `pg.Pool` and answers
 * with `JSON.stringify` of the rows, shaped as a GraphQL answer so the same client can read it. No
 * GraphQL, no validation, no freshness check, no worker thread: whatever it costs above pg's own
 * read is the price of an HTTP hop on this machine, which no uncached HTTP API can avoid.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';

export interface HttpOverPg {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `sql` with `[first, variables.limit, 0]` as its parameters, the rows under
 * `data.<field>.rows`; `first` is the request's `variables[firstVariable]`.
 */
export async function startHttpOverPg(
  pool: Pool,
  sql: string,
  field: string,
  firstVariable: string,
): Promise<HttpOverPg> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        variables: Record<string, unknown>;
      };
      pool.query(sql, [variables[firstVariable], variables.limit, 0]).then(
        ({ rows }) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: { [field]: { rows } } }));
        },
        (err: Error) => {
          res.statusCode = 500;
          res.end(err.message);
        },
      );
    });
  });
  return listenLocal(server);
}

/**
 * The floor under any HTTP API at all: `answer`, already written, sent to every request (no
 * GraphQL, no database).
 */
export function startBareAnswer(answer: string): Promise<HttpOverPg> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    });
  });
  return listenLocal(server);
}

async function listenLocal(server: Server): Promise<HttpOverPg> {
  // The same idle keep-alive time as MartQL's server.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
