/**
 * ORDER BY terms. Directions and NULLS placement come from fixed lists; what a term orders by is
 * resolved by the caller (a declared column for rows, an output alias for aggregates), so nothing
 * from the request is written into SQL as given.
 */
import { QueryError, expectArray, expectObject, type PathSegment } from './errors';
import type { QueryLimits } from './types';

const DIRECTIONS: Record<string, string> = { ASC: 'asc', DESC: 'desc' };
const NULLS: Record<string, string> = { FIRST: 'nulls first', LAST: 'nulls last' };

/** One term of ORDER BY: the SQL it orders by and a key that detects the same thing asked twice. */
export interface OrderTarget {
  sql: string;
  key: string;
}

/**
 * The ORDER BY terms for `orderBy` (empty when absent), each entry's target found by `target`,
 * followed by `tieBreakers` not already ordered by (ascending).
 */
export function compileOrderBy(
  orderBy: unknown,
  limits: QueryLimits,
  path: readonly PathSegment[],
  target: (entry: Record<string, unknown>, path: readonly PathSegment[]) => OrderTarget,
  tieBreakers: readonly OrderTarget[] = [],
): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  if (orderBy !== undefined) {
    if (orderBy === null) throw new QueryError(path, 'expected a list of orderings');
    const entries = expectArray(orderBy, path);
    if (entries.length > limits.maxOrderBy) {
      throw new QueryError(path, `at most ${limits.maxOrderBy} orderings are allowed`);
    }
    entries.forEach((value, i) => {
      const here = [...path, i];
      const entry = expectObject(value, here);
      for (const key of Object.keys(entry)) {
        if (!['column', 'aggregate', 'direction', 'nulls'].includes(key)) {
          throw new QueryError([...here, key], `unknown ordering field ${JSON.stringify(key)}`);
        }
      }
      const { sql, key } = target(entry, here);
      if (seen.has(key)) throw new QueryError(here, 'orders by the same thing twice');
      seen.add(key);
      terms.push(
        `${sql} ${direction(entry.direction, [...here, 'direction'])}${nulls(entry.nulls, [...here, 'nulls'])}`,
      );
    });
  }
  for (const tie of tieBreakers) {
    if (!seen.has(tie.key)) terms.push(`${tie.sql} asc`);
  }
  return terms;
}

function direction(value: unknown, path: readonly PathSegment[]): string {
  const sql = typeof value === 'string' && Object.hasOwn(DIRECTIONS, value) ? DIRECTIONS[value] : undefined;
  if (!sql) throw new QueryError(path, 'expected ASC or DESC');
  return sql;
}

function nulls(value: unknown, path: readonly PathSegment[]): string {
  if (value === undefined || value === null) return '';
  const sql = typeof value === 'string' && Object.hasOwn(NULLS, value) ? NULLS[value] : undefined;
  if (!sql) throw new QueryError(path, 'expected FIRST or LAST');
  return ` ${sql}`;
}
