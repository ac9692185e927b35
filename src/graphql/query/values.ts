/**
 * Checks a request value against its column's kind and puts it in the one form it is bound in.
 *
 * Anything Postgres would reject at execution time (an int out of range, '2024-02-30', a NUL in a
 * string, a LIKE pattern ending in a lone backslash) is refused here as a QueryError naming the
 * argument, so a bad request never reaches the database as a 22xxx error. The normal forms are
 * strings, numbers and booleans only, which both drivers bind identically, also inside arrays.
 */
import { QueryError, type PathSegment } from './errors';
import { unreachable } from './kinds';
import type { ColumnKind, QueryLimits } from './types';

/** What a value is bound as. */
export type BoundValue = string | number | boolean;

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d{1,20}$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
// A lone UTF-16 surrogate has no UTF-8 form; the driver would silently replace it with U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;

export function normalizeValue(
  value: unknown,
  kind: ColumnKind,
  path: readonly PathSegment[],
  limits: QueryLimits,
): BoundValue {
  if (value === null || value === undefined) {
    throw new QueryError(path, 'null is not a value to compare with; use isNull');
  }
  switch (kind) {
    case 'int':
      return normalizeInt(value, path);
    case 'bigint':
      return normalizeBigint(value, path);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new QueryError(path, 'expected a finite number');
      return value;
    case 'decimal':
      return normalizeDecimal(value, path);
    case 'text':
      return normalizeText(value, path, limits);
    case 'boolean':
      if (typeof value !== 'boolean') throw new QueryError(path, 'expected true or false');
      return value;
    case 'date':
      return normalizeDate(value, path);
    case 'timestamp':
    case 'timestamptz':
      return normalizeTimestamp(value, kind, path);
    case 'json':
      throw new QueryError(path, 'json columns cannot be compared with a value');
    default:
      return unreachable(kind);
  }
}

function normalizeInt(value: unknown, path: readonly PathSegment[]): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < INT4_MIN || n > INT4_MAX) {
    throw new QueryError(path, 'expected a 32-bit integer');
  }
  return n;
}

function normalizeBigint(value: unknown, path: readonly PathSegment[]): string {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) n = BigInt(value);
  if (n === undefined || n < INT8_MIN || n > INT8_MAX)
    throw new QueryError(path, 'expected a 64-bit integer');
  return n.toString();
}

function normalizeDecimal(value: unknown, path: readonly PathSegment[]): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length <= 1000 && DECIMAL_TEXT.test(value)) return value;
  throw new QueryError(path, 'expected a decimal number');
}

function normalizeText(value: unknown, path: readonly PathSegment[], limits: QueryLimits): string {
  if (typeof value !== 'string') throw new QueryError(path, 'expected a string');
  checkString(value, path, limits);
  return value;
}

/** The checks every string bound as text passes: length, NUL (Postgres text cannot hold it), UTF-16. */
export function checkString(value: string, path: readonly PathSegment[], limits: QueryLimits): void {
  if (value.length > limits.maxStringLength) {
    throw new QueryError(path, `a string may have at most ${limits.maxStringLength} characters`);
  }
  if (value.includes('\0')) throw new QueryError(path, 'a string cannot contain a NUL character');
  if (LONE_SURROGATE.test(value))
    throw new QueryError(path, 'a string cannot contain a lone UTF-16 surrogate');
}

function normalizeDate(value: unknown, path: readonly PathSegment[]): string {
  if (isDate(value) && Number.isFinite(value.getTime())) return value.toISOString().slice(0, 10);
  const m = typeof value === 'string' ? DATE_TEXT.exec(value) : null;
  if (!m || !validDate(+m[1], +m[2], +m[3])) throw new QueryError(path, 'expected a date YYYY-MM-DD');
  return value as string;
}

function normalizeTimestamp(
  value: unknown,
  kind: 'timestamp' | 'timestamptz',
  path: readonly PathSegment[],
): string {
  if (isDate(value) && Number.isFinite(value.getTime())) {
    // A Date is an instant; for a timestamp (wall-clock) column it is read as UTC wall-clock time.
    const iso = value.toISOString();
    return kind === 'timestamptz' ? iso : iso.slice(0, -1);
  }
  const m = typeof value === 'string' ? TIMESTAMP_TEXT.exec(value) : null;
  const [hour, minute, second] = m ? [m[4], m[5], m[6]].map((p) => (p === undefined ? 0 : +p)) : [];
  if (!m || !validDate(+m[1], +m[2], +m[3]) || hour > 23 || minute > 59 || second > 59) {
    throw new QueryError(path, 'expected a timestamp YYYY-MM-DDThh:mm:ss');
  }
  const offset = m[7];
  if (kind === 'timestamp' && offset !== undefined) {
    // Postgres silently drops an offset when reading a timestamp without time zone.
    throw new QueryError(path, 'a timestamp (without time zone) value cannot carry an offset');
  }
  if (kind === 'timestamptz' && offset === undefined) {
    // Without one, Postgres would read the value in the session's TimeZone, which varies by server.
    throw new QueryError(path, 'a timestamptz value needs an offset (Z or ±hh:mm)');
  }
  return value as string;
}

/**
 * A Date from any realm: `instanceof` fails for one made in another context (a vm, a worker's
 * structured clone), which a scalar parser may well hand us.
 */
export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // days in `month` of a leap year
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : days);
}

/**
 * A LIKE pattern Postgres accepts: text, and `\` (the default escape) never last. A trailing lone
 * backslash would fail at execution with "LIKE pattern must not end with escape character".
 */
export function normalizePattern(value: unknown, path: readonly PathSegment[], limits: QueryLimits): string {
  if (typeof value !== 'string') throw new QueryError(path, 'expected a LIKE pattern string');
  checkString(value, path, limits);
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') {
      if (i === value.length - 1)
        throw new QueryError(path, 'a LIKE pattern cannot end with an escaping backslash');
      i++;
    }
  }
  return value;
}
