/**
 * `/graphql` on a plain Node `http` server: the request becomes Apollo's `HTTPGraphQLRequest` and
 * Apollo's response is written back. (Apollo's standalone server answers GraphQL on every path and
 * its Express integration needs express, which is not a dependency; this is the documented
 * integration point in a few lines.) Bodies are read up to a limit and parsed as JSON here.
 *
 * Execution has a time limit: past it the client gets a TIMEOUT error at once, while the work the
 * request started (a refresh that others may be waiting on too) runs to its end as a background
 * task, so shutdown still waits for it.
 *
 * Rows that resolvers left as JSON text (graphql/resolvers/raw-json.ts) are filled into the body here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import { withinBudget } from '../freshness';
import type { BackgroundTasks, RawJsonSlots } from '../graphql/resolvers';
import { sendJson } from './health';

export const MAX_BODY_BYTES = 1_000_000;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export interface GraphqlHandling {
  /** Longest a request may run before the client gets TIMEOUT. */
  timeoutMs: number;
  /** Where an execution that outlived its request keeps running. */
  background: BackgroundTasks;
  log(event: Record<string, unknown>): void;
  /** This request's JSON text for the body (see raw-json-plugin.ts). */
  rawJson?: RawJsonSlots;
}

/** What the handler answered with when Apollo did not: its own error codes (for the log line). */
export interface HandledRequest {
  errorCodes: string[];
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extensions: Record<string, unknown>,
) {
  sendJson(res, status, { errors: [{ message, extensions }] });
}

export async function handleGraphql<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: ContextThunk<TContext>,
  handling: GraphqlHandling,
): Promise<HandledRequest> {
  const headers = headersOf(req);
  let body: unknown;
  try {
    const text = await readBody(req);
    const json = (headers.get('content-type') ?? '').toLowerCase().startsWith('application/json');
    body = json && text.length > 0 ? JSON.parse(text) : text;
  } catch (err) {
    const tooLarge = err instanceof BodyTooLarge;
    sendError(
      res,
      tooLarge ? 413 : 400,
      tooLarge ? `request body over ${MAX_BODY_BYTES} bytes` : 'request body is not valid JSON',
      {
        code: 'BAD_REQUEST',
      },
    );
    return { errorCodes: ['BAD_REQUEST'] };
  }
  const execution = apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: new URL(req.url ?? '/', 'http://localhost').search,
      body,
    },
    context,
  });
  const outcome = await withinBudget(execution, handling.timeoutMs);
  if (!outcome.done) {
    handling.background.add(execution, (err) =>
      handling.log({
        event: 'timed_out_request_failed',
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    sendError(
      res,
      504,
      `the request ran past the server's ${handling.timeoutMs} ms limit (requestTimeoutMs); ` +
        'a refresh it started goes on in the background, so asking again shortly should answer from it',
      { code: 'TIMEOUT', timeoutMs: handling.timeoutMs },
    );
    return { errorCodes: ['TIMEOUT'] };
  }
  const response = outcome.value;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(handling.rawJson?.size ? handling.rawJson.fill(response.body.string) : response.body.string);
    return { errorCodes: [] };
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
  return { errorCodes: [] };
}
