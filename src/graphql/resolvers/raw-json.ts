/**
 * JSON text spliced into a GraphQL response as it is, so a page of rows that the warehouse already
 * wrote as JSON (query/json-row.ts, warehouse/json-rows.ts) is never decoded into objects, walked
 * by graphql-js and written again. On a 10,000-row page that walk and the two conversions are most
 * of the server's time.
 *
 * graphql-js still executes the whole operation: the resolver answers the list field with `[]` and
 * `add`s the text under that field's response path. Before Apollo serializes the result, `mark`
 * puts a placeholder string at each path; after, `fill` replaces each quoted placeholder with its
 * text. A placeholder holds a nonce no client or row knows, so no value a client sends or a row
 * holds can be taken for one; a path that is no longer in the result (nulled by an error) just
 * leaves its text unused.
 *
 * Only requests that come through the HTTP handler get slots (see server/routes.ts); anything that
 * executes without them (Apollo's `executeOperation`, a test calling the schema) takes the
 * ordinary path.
 */
import { randomBytes } from 'node:crypto';

interface Slot {
  path: readonly string[];
  json: Uint8Array;
}

/**
 * Nonces are a secret drawn once per process and a counter: unguessable by whoever wrote a row's
 * values, since no placeholder leaves the process (each is replaced before the body is sent), and
 * far cheaper than random bytes drawn for every request.
 */
const SECRET = randomBytes(12).toString('hex');
let requests = 0;

export class RawJsonSlots {
  private readonly slots: Slot[] = [];
  /** The placeholders' nonce, once `mark` placed any. */
  private nonce: string | undefined;

  /** `json` (an array's UTF-8 text) is the value at `path`, a response path of object keys. */
  add(path: readonly string[], json: Uint8Array): void {
    this.slots.push({ path, json });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Replaces the value at each slot's path in `data` (an empty list there) by its placeholder. */
  mark(data: Record<string, unknown> | null | undefined): void {
    const nonce = `${SECRET}${(requests++).toString(36)}`;
    this.slots.forEach((slot, i) => {
      const parent = slot.path
        .slice(0, -1)
        .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), data);
      const key = slot.path[slot.path.length - 1];
      if (!isObject(parent) || !Array.isArray(parent[key])) return;
      this.nonce = nonce;
      parent[key] = `@martql-raw-json:${nonce}:${i}@`;
    });
  }

  /**
   * The serialized response with each placeholder (quoted) replaced by its JSON text, as UTF-8, in
   * one pass over the body (a nonce-free body has no placeholder). The pages stay bytes: they are
   * most of the body, and the socket takes bytes.
   */
  fill(body: string): string | Buffer {
    if (this.nonce === undefined) return body;
    const opening = `"@martql-raw-json:${this.nonce}:`;
    const parts: Uint8Array[] = [];
    let from = 0;
    for (let at = body.indexOf(opening); at >= 0; at = body.indexOf(opening, from)) {
      const end = body.indexOf('@"', at + opening.length);
      parts.push(
        Buffer.from(body.slice(from, at), 'utf8'),
        this.slots[Number(body.slice(at + opening.length, end))].json,
      );
      from = end + 2;
    }
    parts.push(Buffer.from(body.slice(from), 'utf8'));
    return Buffer.concat(parts);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
