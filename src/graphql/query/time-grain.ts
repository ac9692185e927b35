/**
 * The bucket of a time grain: `date_trunc` of a date or timestamp column, in a time zone for
 * timestamptz columns.
 *
 * A timestamptz is an instant, so its day (or hour, week, ...) depends on a zone: the column is
 * read `at time zone $n` (the zone bound as a parameter, UTC when none is given, never the
 * session's TimeZone, which varies by server) and the bucket is that zone's wall-clock time, e.g.
 * `2024-03-10 00:00:00` for the day starting at local midnight — the label a chart shows. Date
 * and timestamp columns already hold wall-clock values; a zone for them is refused rather than
 * guessed at. Weeks start on Monday (ISO), as Postgres's `date_trunc('week', ...)` does.
 */
import { QueryError, expectObject, type PathSegment } from './errors';
import { column, ident, type ResolvedModel } from './model';
import type { Params } from './params';
import type { ModelColumn, TimeGrainUnit } from './types';

// The SQL literal for each grain comes from this table, never from the request.
const GRAINS: Record<TimeGrainUnit, string> = {
  hour: "'hour'",
  day: "'day'",
  week: "'week'",
  month: "'month'",
  quarter: "'quarter'",
  year: "'year'",
};

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export interface CompiledGrain {
  column: ModelColumn;
  /** The bucket expression, without an alias. */
  sql: string;
}

export function compileTimeGrain(
  model: ResolvedModel,
  value: unknown,
  params: Params,
  path: readonly PathSegment[],
): CompiledGrain {
  const grain = expectObject(value, path);
  for (const key of Object.keys(grain)) {
    if (!['column', 'grain', 'timezone'].includes(key)) {
      throw new QueryError([...path, key], `unknown field ${JSON.stringify(key)}`);
    }
  }
  const col = column(model, grain.column, [...path, 'column']);
  const unit = grain.grain;
  if (typeof unit !== 'string' || !Object.hasOwn(GRAINS, unit)) {
    throw new QueryError([...path, 'grain'], `expected one of ${Object.keys(GRAINS).join(', ')}`);
  }
  const literal = GRAINS[unit as TimeGrainUnit];
  const zone = grain.timezone;
  if (zone !== undefined && zone !== null && col.kind !== 'timestamptz') {
    throw new QueryError(
      [...path, 'timezone'],
      `a time zone applies only to timestamptz columns, not ${col.kind}`,
    );
  }
  switch (col.kind) {
    case 'date':
      if (unit === 'hour') throw new QueryError([...path, 'grain'], 'a date column has no hours');
      // date_trunc has no date variant; through timestamp (not timestamptz) no zone is involved.
      return { column: col, sql: `date_trunc(${literal}, ${ident(col)}::timestamp)::date` };
    case 'timestamp':
      return { column: col, sql: `date_trunc(${literal}, ${ident(col)})` };
    case 'timestamptz': {
      const tz = zone === undefined || zone === null ? 'UTC' : timeZone(zone, [...path, 'timezone']);
      return {
        column: col,
        sql: `date_trunc(${literal}, ${ident(col)} at time zone ${params.bind(tz, 'text')})`,
      };
    }
    default:
      throw new QueryError(
        [...path, 'column'],
        `a time grain needs a date or timestamp column, not ${col.kind}`,
      );
  }
}

/**
 * An IANA zone name ('Europe/Paris', 'UTC'). POSIX forms such as 'UTC+5' are refused: Postgres
 * reads their sign inverted (it means five hours *west*), which no GraphQL user expects.
 */
function timeZone(value: unknown, path: readonly PathSegment[]): string {
  if (
    typeof value === 'string' &&
    value.length <= 64 &&
    ZONE_NAME.test(value) &&
    !/\d/.test(value.split('/')[0])
  ) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return value;
    } catch {
      // fall through
    }
  }
  throw new QueryError(path, 'expected an IANA time zone name such as "Europe/Paris"');
}
