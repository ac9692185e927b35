/**
 * Identifier and literal quoting: the only place MartQL turns a name or a string into SQL text.
 *
 * Values normally reach SQL as bind parameters; these are for the places Postgres does not accept
 * parameters (identifiers, DDL, COPY options, rendered templates).
 */
import { MartqlError } from '../errors';

function rejectNul(kind: string, value: string): void {
  if (value.includes('\0')) {
    throw new MartqlError('INTERNAL', `a Postgres ${kind} cannot contain a NUL character`, {
      data: { value },
    });
  }
}

/** `"name"` with embedded double quotes doubled; always quoted, so case and spaces are kept. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new MartqlError('INTERNAL', 'a Postgres identifier cannot be empty');
  rejectNul('identifier', name);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `'value'` with quotes doubled. A value holding a backslash becomes an `E'...'` literal with the
 * backslashes doubled, which reads the same whatever `standard_conforming_strings` is (as libpq's
 * PQescapeLiteral does).
 */
export function quoteLiteral(value: string): string {
  rejectNul('literal', value);
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** `"schema"."name"`. */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
