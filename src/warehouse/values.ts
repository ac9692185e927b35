/**
 * How values cross the driver boundary, the same for pg and PGlite so a model behaves alike on both.
 *
 * Decoding (text format), where the drivers' defaults would lose information or differ:
 * - int8 -> number when it is a safe integer, else bigint (count(*) is int8 and should be a number);
 * - numeric -> string (exact; what pg does);
 * - date, time, timetz, timestamp, timestamptz, interval -> the Postgres text form, e.g.
 *   '2024-05-01', '2024-05-01 12:00:00.123456'. A JS Date would drop microseconds (an incremental
 *   watermark read back through a Date misses rows) and shift `date` by the local time zone; and a
 *   string renders into a template exactly like dbt's Python datetime does;
 * - arrays of those types likewise, element by element.
 * Everything else keeps the driver's decoding: int2/int4/float -> number, bool -> boolean,
 * json/jsonb -> parsed value, text -> string, bytea -> Uint8Array.
 *
 * Encoding parameters: Date -> ISO-8601 UTC string, bigint -> decimal string; the rest is left to the
 * driver (pass JSON parameters as `JSON.stringify(value)` to be driver-independent).
 */

type TextParser = (value: string) => unknown;

function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

const asText: TextParser = (value) => value;

/** Scalar type oid -> parser. */
export const SCALAR_PARSERS: Record<number, TextParser> = {
  20: parseInt8, // int8
  1700: asText, // numeric
  1082: asText, // date
  1083: asText, // time
  1266: asText, // timetz
  1114: asText, // timestamp
  1184: asText, // timestamptz
  1186: asText, // interval
};

/** Array type oid -> element type oid, for the scalar types above. */
export const ARRAY_ELEMENTS: Record<number, number> = {
  1016: 20,
  1231: 1700,
  1182: 1082,
  1183: 1083,
  1270: 1266,
  1115: 1114,
  1185: 1184,
  1187: 1186,
};

export function normalizeParams(params: unknown[] | undefined): unknown[] | undefined {
  return params?.map((value) => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}
