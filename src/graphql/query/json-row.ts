/**
 * A row as the text of its GraphQL JSON object, built by Postgres: `{"id":1,"name":"a"}`.
 *
 * The GraphQL layer splices these texts into the response instead of decoding every value into a
 * JS object and walking it field by field (see graphql/resolvers/raw-json.ts), so each value must
 * come out as the API's scalar would serialize it:
 * - Int: its text; Boolean, String, JSON, Date and timestamp: `to_json`, whose dates and
 *   timestamps are ISO-8601 with `T`, fraction trimmed, as DateTime serializes;
 * - Float (float4/float8): `to_json` of the value plus zero. Postgres writes the shortest digits that
 *   round-trip, the double a client parses from JavaScript's output too (spelled `1e-07` where
 *   JavaScript writes `1e-7`); adding zero turns -0, which JavaScript writes as `0`, into 0. NaN and
 *   ±Infinity, which a GraphQL Float cannot represent (graphql-js answers an error), come out as
 *   the strings `"NaN"`, `"Infinity"`;
 * - numeric served as Float: cast to float8 first, so the client gets the double graphql-js would
 *   have sent, not every stored digit;
 * - numeric served as Decimal, and bigint: the exact text, as a JSON string;
 * - timestamptz: `to_json` writes a UTC offset as `+00:00`, DateTime writes `Z`.
 * Keys are the response keys (aliases) in selection order; NULL is `null`. The keys are GraphQL
 * names, checked here anyway, since they are written into the SQL as literals.
 */
import { MartqlError } from '../../errors';
import { quoteLiteral } from '../../warehouse';
import type { ModelColumn } from './types';

/** One key of the row object: a column's value, or a constant string (`__typename`). */
export type JsonRowField =
  { key: string; column: string; exact?: boolean } | { key: string; constant: string };

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function valueJson(ident: string, column: ModelColumn, exact: boolean): string {
  switch (column.kind) {
    // Digits, sign and point (or NaN, Infinity) need no escaping: quoting them is cheaper than
    // to_json. The cast to the declared type is what makes that so: the kind comes from YAML, and a
    // text column declared an integer must fail the statement, not write its text into the response.
    case 'decimal':
      return exact ? `'"' || ${ident}::numeric::text || '"'` : `to_json(${ident}::float8)::text`;
    case 'bigint':
      return `'"' || ${ident}::int8::text || '"'`;
    case 'int':
      return `${ident}::int4::text`;
    case 'text':
      return `to_json(${ident}::text)::text`;
    case 'timestamptz':
      return `replace(to_json(${ident})::text, '+00:00"', 'Z"')`;
    case 'float':
      // The literal takes the column's type, so a float4 stays a float4 (and keeps its digits).
      return `to_json(${ident} + '0')::text`;
    case 'boolean':
    case 'date':
    case 'timestamp':
    case 'json':
      return `to_json(${ident})::text`;
    default: {
      const never: never = column.kind;
      throw new MartqlError('INTERNAL', `no JSON form for column kind ${String(never)}`);
    }
  }
}

/**
 * The SQL expression of one row's JSON text, `columnOf(name)` giving each field's declared column
 * and `ident` its quoted identifier.
 */
export function jsonRowExpression(
  fields: readonly JsonRowField[],
  columnOf: (name: string) => ModelColumn,
  ident: (column: ModelColumn) => string,
): string {
  if (fields.length === 0) return `'{}'`;
  const parts = fields.map((field, i) => {
    if (!GRAPHQL_NAME.test(field.key))
      throw new MartqlError('INTERNAL', `'${field.key}' is not a GraphQL name`);
    const prefix = quoteLiteral(`${i === 0 ? '{' : ','}${JSON.stringify(field.key)}:`);
    if ('constant' in field) return `${prefix} || ${quoteLiteral(JSON.stringify(field.constant))}`;
    const column = columnOf(field.column);
    return `${prefix} || coalesce(${valueJson(ident(column), column, field.exact === true)}, 'null')`;
  });
  return `${parts.join(' || ')} || '}'`;
}
