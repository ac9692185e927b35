/**
 * The one error the query builder throws for a bad request.
 *
 * `src/errors.ts` has no code for user input to the API, and the GraphQL layer needs the standard
 * `BAD_USER_INPUT` code plus the argument the problem is in, so the builder has its own error: the
 * GraphQL layer maps `code` to `extensions.code` and `path` to `extensions.argumentPath`. Messages
 * never echo SQL, only the request's own names and the reason.
 */

/** A segment of an argument path: an object key or an array index. */
export type PathSegment = string | number;

export class QueryError extends Error {
  readonly code = 'BAD_USER_INPUT' as const;
  /** The argument the problem is in, e.g. `where.or[1].channel.like`. */
  readonly path: string;

  constructor(path: readonly PathSegment[], reason: string) {
    const where = formatPath(path);
    super(where ? `${where}: ${reason}` : reason);
    this.name = 'QueryError';
    this.path = where;
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `where.or[1].channel.like`; keys that are not plain names are shown as JSON strings
 * (`where["a b"]`) so that a hostile name cannot make the path read as something else.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Throws unless `value` is a plain object (not null, not an array). */
export function expectObject(value: unknown, path: readonly PathSegment[]): Record<string, unknown> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.prototype.toString.call(value) !== '[object Object]'
  ) {
    throw new QueryError(path, 'expected an object');
  }
  return value as Record<string, unknown>;
}

/** Throws unless `value` is an array. */
export function expectArray(value: unknown, path: readonly PathSegment[]): unknown[] {
  if (!Array.isArray(value)) throw new QueryError(path, 'expected a list');
  return value;
}
