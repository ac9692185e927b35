/**
 * What a single CSV value looks like (integer, boolean, date, ...), read from its UTF-8 bytes, and
 * how the kinds of a column's values combine into the column's kind.
 *
 * A kind is only claimed when Postgres will accept the value as that type, so an inferred column
 * always loads: dates are checked against the calendar (no 2023-02-29, no year 0), times against the
 * clock, integers against the int4/int8 ranges, exponents against numeric's limit. Anything else is
 * text. The accepted spellings follow dbt's agate-based inference: booleans are true/false in any
 * case, dates are YYYY-MM-DD, timestamps are ISO 8601 with a space or a T.
 */

/** Ordered so that within a family a larger value is the wider type. */
export enum Kind {
  /** No non-empty value seen yet. */
  None = 0,
  Int4 = 1,
  Int8 = 2,
  Numeric = 3,
  Bool = 4,
  Date = 5,
  Timestamp = 6,
  TimestampTz = 7,
  Text = 8,
}

/** The Postgres type each kind loads as; a column with no values at all is text. */
export function kindType(kind: Kind): string {
  switch (kind) {
    case Kind.Int4:
      return 'integer';
    case Kind.Int8:
      return 'bigint';
    case Kind.Numeric:
      return 'numeric';
    case Kind.Bool:
      return 'boolean';
    case Kind.Date:
      return 'date';
    case Kind.Timestamp:
      return 'timestamp';
    case Kind.TimestampTz:
      return 'timestamptz';
    case Kind.None:
    case Kind.Text:
      return 'text';
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

/**
 * The kind of a column holding values of kinds `a` and `b`: the wider of the two within the number
 * family (integer < bigint < numeric) or the time family (date < timestamp < timestamptz, as a date
 * reads as midnight), the same kind for two booleans, and text otherwise.
 */
export function joinKinds(a: Kind, b: Kind): Kind {
  if (a === b || b === Kind.None) return a;
  if (a === Kind.None) return b;
  if (a <= Kind.Numeric && b <= Kind.Numeric) return a > b ? a : b;
  if (a >= Kind.Date && a <= Kind.TimestampTz && b >= Kind.Date && b <= Kind.TimestampTz)
    return a > b ? a : b;
  return Kind.Text;
}

const D0 = 0x30;
const D9 = 0x39;

function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}

/** The number written by the `n` digits at `b[s]` (callers check they are digits). */
function digits(b: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 10 + (b[s + i] - D0);
  return v;
}

function allDigits(b: Uint8Array, s: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (!isDigit(b[s + i])) return false;
  return true;
}

/** The kind of the non-empty value `b[s, e)`. */
export function classify(b: Uint8Array, s: number, e: number): Kind {
  const c = b[s];
  if (isDigit(c)) {
    // YYYY-... is a date or a timestamp; any other digit-led value is a number or text.
    if (e - s >= 10 && b[s + 4] === 0x2d) return classifyTemporal(b, s, e);
    return classifyNumber(b, s, e);
  }
  if (c === 0x2d || c === 0x2b || c === 0x2e) return classifyNumber(b, s, e);
  if (e - s === 4 || e - s === 5) return classifyBool(b, s, e);
  return Kind.Text;
}

function classifyBool(b: Uint8Array, s: number, e: number): Kind {
  const word = e - s === 4 ? 'true' : 'false';
  for (let i = 0; i < word.length; i++) {
    if ((b[s + i] | 0x20) !== word.charCodeAt(i)) return Kind.Text;
  }
  return Kind.Bool;
}

/** `[+-]digits[.digits][e[+-]digits]` or `[+-].digits...`: an integer kind when there is no point or exponent. */
function classifyNumber(b: Uint8Array, s: number, e: number): Kind {
  let p = s;
  let negative = false;
  if (b[p] === 0x2d || b[p] === 0x2b) negative = b[p++] === 0x2d;
  const intStart = p;
  while (p < e && isDigit(b[p])) p++;
  const intDigits = p - intStart;
  if (p === e) return intDigits === 0 ? Kind.Text : integerKind(b, intStart, p, negative);
  let fracDigits = 0;
  if (b[p] === 0x2e) {
    p++;
    const fracStart = p;
    while (p < e && isDigit(b[p])) p++;
    fracDigits = p - fracStart;
  }
  if (intDigits + fracDigits === 0) return Kind.Text;
  if (p < e && (b[p] | 0x20) === 0x65) {
    p++;
    if (p < e && (b[p] === 0x2d || b[p] === 0x2b)) p++;
    const expStart = p;
    while (p < e && isDigit(b[p])) p++;
    // numeric rejects exponents beyond +-1000; three digits are always safe.
    if (p - expStart === 0 || p - expStart > 3) return Kind.Text;
  }
  return p === e ? Kind.Numeric : Kind.Text;
}

const INT4_MIN = -(2n ** 31n);
const INT4_MAX = 2n ** 31n - 1n;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function integerKind(b: Uint8Array, s: number, e: number, negative: boolean): Kind {
  while (s < e - 1 && b[s] === D0) s++; // leading zeros do not widen the type
  const n = e - s;
  if (n < 10) return Kind.Int4;
  if (n > 19) return Kind.Numeric;
  // Rare enough (ten or more digits) to afford a BigInt.
  const magnitude = BigInt(Buffer.from(b.buffer, b.byteOffset + s, n).toString('latin1'));
  const value = negative ? -magnitude : magnitude;
  if (value >= INT4_MIN && value <= INT4_MAX) return Kind.Int4;
  if (value >= INT8_MIN && value <= INT8_MAX) return Kind.Int8;
  return Kind.Numeric;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** `YYYY-MM-DD`, then optionally `[ T]HH:MM[:SS[.fraction]]` and an offset `Z`, `±HH`, `±HH:MM` or `±HHMM`. */
function classifyTemporal(b: Uint8Array, s: number, e: number): Kind {
  if (!allDigits(b, s, 4) || b[s + 7] !== 0x2d || !allDigits(b, s + 5, 2) || !allDigits(b, s + 8, 2))
    return Kind.Text;
  const year = digits(b, s, 4);
  const month = digits(b, s + 5, 2);
  const day = digits(b, s + 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return Kind.Text;
  const maxDay = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > maxDay) return Kind.Text;
  let p = s + 10;
  if (p === e) return Kind.Date;
  if (b[p] !== 0x20 && b[p] !== 0x54) return Kind.Text;
  p++;
  if (e - p < 5 || !allDigits(b, p, 2) || b[p + 2] !== 0x3a || !allDigits(b, p + 3, 2)) return Kind.Text;
  if (digits(b, p, 2) > 23 || digits(b, p + 3, 2) > 59) return Kind.Text;
  p += 5;
  if (p < e && b[p] === 0x3a) {
    if (e - p < 3 || !allDigits(b, p + 1, 2) || digits(b, p + 1, 2) > 59) return Kind.Text;
    p += 3;
    if (p < e && b[p] === 0x2e) {
      const fracStart = ++p;
      while (p < e && isDigit(b[p])) p++;
      if (p === fracStart) return Kind.Text;
    }
  }
  if (p === e) return Kind.Timestamp;
  if (b[p] === 0x5a) return p + 1 === e ? Kind.TimestampTz : Kind.Text;
  if (b[p] !== 0x2b && b[p] !== 0x2d) return Kind.Text;
  p++;
  if (e - p < 2 || !allDigits(b, p, 2) || digits(b, p, 2) > 15) return Kind.Text;
  p += 2;
  if (p === e) return Kind.TimestampTz;
  if (b[p] === 0x3a) p++;
  if (e - p !== 2 || !allDigits(b, p, 2) || digits(b, p, 2) > 59) return Kind.Text;
  return Kind.TimestampTz;
}
