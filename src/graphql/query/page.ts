/**
 * LIMIT and OFFSET: checked against the bounds (a limit above `maxLimit` is refused, not clamped,
 * so a client never silently receives fewer rows than it asked for) and bound as parameters, which
 * keeps one SQL text for every page of a query.
 */
import { MartqlError } from '../../errors';
import { QueryError, type PathSegment } from './errors';
import type { Params } from './params';
import type { QueryLimits } from './types';

export function compilePage(
  limit: unknown,
  offset: unknown,
  maxLimit: unknown,
  limits: QueryLimits,
  params: Params,
): string {
  if (typeof maxLimit !== 'number' || !Number.isSafeInteger(maxLimit) || maxLimit < 0) {
    throw new MartqlError('INTERNAL', `maxLimit must be a non-negative integer, got ${String(maxLimit)}`);
  }
  const n = count(limit, ['limit'], maxLimit);
  // Offset is always written (0 when absent) so every page of a query shares one SQL text.
  const m = offset === undefined ? 0 : count(offset, ['offset'], limits.maxOffset);
  return `limit ${params.bind(n, 'int8')} offset ${params.bind(m, 'int8')}`;
}

function count(value: unknown, path: readonly PathSegment[], max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new QueryError(path, 'expected a non-negative integer');
  }
  if (value > max) throw new QueryError(path, `at most ${max} is allowed`);
  return value;
}
