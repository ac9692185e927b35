/**
 * `/graphql` on a plain Node `http` server: the request becomes Apollo's `HTTPGraphQLRequest` and
 * Apollo's response is written back. (Apollo's standalone server answers GraphQL on every path and
 * its Express integration needs express, which is not a dependency; this is the documented
 * integration point in a few lines.) Bodies are read up to a limit and parsed as JSON here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
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

export async function handleGraphql<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: ContextThunk<TContext>,
): Promise<void> {
  const headers = headersOf(req);
  let body: unknown;
  try {
    const text = await readBody(req);
    const json = (headers.get('content-type') ?? '').toLowerCase().startsWith('application/json');
    body = json && text.length > 0 ? JSON.parse(text) : text;
  } catch (err) {
    const tooLarge = err instanceof BodyTooLarge;
    sendJson(res, tooLarge ? 413 : 400, {
      errors: [
        {
          message: tooLarge ? `request body over ${MAX_BODY_BYTES} bytes` : 'request body is not valid JSON',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    return;
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: new URL(req.url ?? '/', 'http://localhost').search,
      body,
    },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
