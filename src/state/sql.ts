/**
 * Small SQL helpers the state modules share: bind-parameter numbering, timestamp output, and
 * relations stored as (schema, name) columns.
 *
 * Timestamps are read as ISO-8601 UTC text with microseconds rather than in the session's
 * `timestamptz` output format, so callers get one exact, JSON-ready form whatever the server's
 * TimeZone and DateStyle are.
 */
import type { RelationRef } from './types';

/** Collects bind values and hands out their `$n` placeholders, so a query's text and values stay in step. */
export class Params {
  readonly values: unknown[] = [];

  /** The placeholder for `value`, with an optional cast (`$3::jsonb`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value === undefined ? null : value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** `expr` (a timestamptz) as '2024-05-01T12:00:00.123456Z'; null stays null. */
export function iso(expr: string): string {
  return `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A JSON parameter, encoded here so pg and PGlite receive the same text. */
export function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** A relation stored as two nullable columns (schema, name): null unless both are set. */
export function relationFrom(schema: string | null, name: string | null): RelationRef | null {
  return schema !== null && name !== null ? { schema, name } : null;
}
