/**
 * Who may do what, from the `Authorization: Bearer` header. Two tokens:
 * - the admin token (MARTQL_ADMIN_TOKEN) grants mutations and `cache: NO_CACHE` (the resolvers
 *   check `ctx.admin`), and reads;
 * - the read token (MARTQL_READ_TOKEN), when set, closes /graphql and /metrics to anyone without
 *   it or the admin token. Unset, reads are open.
 * `/healthz` and the playground's files never ask: a load balancer and a browser loading the page
 * have no token, and the page lets the user add one to its GraphQL requests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './health';

export interface AuthOptions {
  adminToken?: string;
  readToken?: string;
}

export interface Access {
  admin: boolean;
  read: boolean;
}

const BEARER = /^Bearer\s+(.+)$/i;

/** Compares digests, so neither the token's content nor its length shows in the timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const match = BEARER.exec(header.trim());
  return match !== null && sameSecret(match[1], token);
}

export function accessOf(header: string | undefined, options: AuthOptions): Access {
  const admin = bearerMatches(header, options.adminToken);
  const read = !options.readToken || admin || bearerMatches(header, options.readToken);
  return { admin, read };
}

/** 401 with a GraphQL-shaped body, so GraphQL clients show the message like any other error. */
export function sendUnauthenticated(res: ServerResponse): void {
  res.setHeader('www-authenticate', 'Bearer realm="martql"');
  sendJson(res, 401, {
    errors: [
      {
        message:
          'this server needs a token for reads: send the header `Authorization: Bearer <token>` with ' +
          'MARTQL_READ_TOKEN or MARTQL_ADMIN_TOKEN',
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ],
  });
}
