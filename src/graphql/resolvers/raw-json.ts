/**
 * JSON text spliced into a GraphQL response as it is, so a page of rows that Postgres already wrote
 * as JSON (query/json-row.ts) is never decoded into objects, walked by graphql-js and written again.
 * On a 10,000-row page that walk and the two conversions are most of the server's time.
 *
 * graphql-js still executes the whole operation: the resolver answers the list field with `[]` and
 * `add`s the text under that field's response path. Before Apollo serializes the result, `mark`
 * puts a placeholder string at each path; after, `fill` replaces each quoted placeholder with its
 * text. A placeholder holds a random nonce made per request, so no value a client sends or a row
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
  json: string;
}

export class RawJsonSlots {
  private readonly slots: Slot[] = [];
  /** The placeholders' nonce, once `mark` placed any. */
  private nonce: string | undefined;

  /** `json` (an array's text) is the value at `path`, a response path of object keys. */
  add(path: readonly string[], json: string): void {
    this.slots.push({ path, json });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Replaces the value at each slot's path in `data` (an empty list there) by its placeholder. */
  mark(data: Record<string, unknown> | null | undefined): void {
    // Made only here: most requests have no slots, and random bytes cost a little on every request.
    const nonce = randomBytes(12).toString('hex');
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
   * The serialized response with each placeholder (quoted) replaced by its JSON text, in one pass
   * over the body (splitting at the placeholders, which a nonce-free body never matches).
   */
  fill(body: string): string {
    if (this.nonce === undefined) return body;
    const parts = body.split(new RegExp(`"@martql-raw-json:${this.nonce}:(\\d+)@"`));
    // split keeps the captured slot numbers at the odd places.
    for (let i = 1; i < parts.length; i += 2) parts[i] = this.slots[Number(parts[i])].json;
    return parts.join('');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
