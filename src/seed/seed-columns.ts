/**
 * The columns of a seed's table: header names (as `quote_columns` says Postgres will store them),
 * each with its inferred type unless `column_types` names one.
 *
 * `column_types` keys match header names exactly first, then case-insensitively, so a config written
 * `Order_ID` still reaches a header `order_id`. Type strings go into DDL as written (dbt does the
 * same), so they are checked to be type-shaped: a stray `;` or comment in a config file fails here
 * instead of running as SQL.
 */
import { MartqlError } from '../errors';
import type { SeedColumn } from './infer-types';
import { type Kind, kindType } from './value-kind';

const TYPE_SHAPE = /^[A-Za-z_][A-Za-z0-9_ ."]*(\(\s*-?\d+\s*(,\s*-?\d+\s*)?\))?[A-Za-z0-9_ ]*(\[\d*\])*$/;

/** Looks up `column_types` for a header name: an exact key first, then a case-insensitive one. */
export function columnTypeLookup(
  columnTypes: Record<string, string> = {},
): (column: string) => string | undefined {
  const exact = new Map(Object.entries(columnTypes));
  const folded = new Map(Object.entries(columnTypes).map(([k, v]) => [k.toLowerCase(), v]));
  return (column) => exact.get(column) ?? folded.get(column.toLowerCase());
}

/** How Postgres stores an unquoted identifier: ASCII letters folded to lower case. */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export interface SeedColumnsInput {
  path: string;
  header: string[];
  kinds: Kind[];
  columnTypes?: Record<string, string>;
  /** dbt's `quote_columns`: true keeps the header's case (the Postgres default in dbt). */
  quoteColumns?: boolean;
}

export function seedColumns(input: SeedColumnsInput): SeedColumn[] {
  const { path, header } = input;
  const lookup = columnTypeLookup(input.columnTypes);
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    if (raw.trim() === '') {
      throw new MartqlError('SEED', `column ${i + 1} has no name in the header`, {
        location: { file: path, line: 1 },
      });
    }
    const name = input.quoteColumns === false ? foldIdentifier(raw) : raw;
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new MartqlError(
        'SEED',
        `columns ${previous + 1} and ${i + 1} are both named ${JSON.stringify(name)}`,
        {
          location: { file: path, line: 1 },
        },
      );
    }
    seen.set(name, i);
    const declared = lookup(raw);
    if (declared !== undefined && !TYPE_SHAPE.test(declared.trim())) {
      throw new MartqlError(
        'SEED',
        `column_types for ${JSON.stringify(raw)} is not a type: ${JSON.stringify(declared)}`,
        {
          location: { file: path },
          hint: 'use a Postgres type such as varchar(20), numeric(12,2) or timestamp with time zone',
        },
      );
    }
    return { name, type: declared?.trim() ?? kindType(input.kinds[i]) };
  });
}
