/**
 * How a page's rows are read when they go into the response as JSON text (see
 * graphql/resolvers/raw-json.ts): the select list, one column per field, and the codec with which
 * the warehouse worker writes each value (warehouse/json-rows.ts).
 *
 * The JSON must be what the object path sends, where the driver decodes each value (warehouse
 * values.ts) and the field's scalar serializes it. So each column is read as the text the driver
 * would have decoded, and its codec repeats the decoding and the serialization:
 * - Int: the digits (`::int4`); BigInt, and numeric served as Decimal: the exact text as a JSON
 *   string (`::int8`, `::numeric`);
 * - Float (float4/float8, numeric served as Float): the text read as a double and written as
 *   JavaScript writes it, as the driver and graphql-js do; the column keeps its own type (`+ '0'`),
 *   so a float4 is read from its float4 text. NaN and ±Infinity, which a GraphQL Float cannot
 *   represent (graphql-js answers an error), come out as the strings `"NaN"`, `"Infinity"`;
 * - String, Date: the text as a JSON string; DateTime: ISO-8601, as its scalar writes it;
 * - Boolean: `t`/`f`; JSON: `to_json`, parsed and written again.
 * The casts are what make a codec safe: the kind comes from YAML, and a text column declared an
 * integer must fail the statement, not write its text into the response unescaped.
 */
import { MartqlError } from '../../errors';
import type { JsonCodec, JsonRowEncoding } from '../../warehouse';
import type { ModelColumn } from './types';

/** One key of the row object: a column's value, or a constant string (`__typename`). */
export type JsonRowField =
  { key: string; column: string; exact?: boolean } | { key: string; constant: string };

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function valueRead(ident: string, column: ModelColumn, exact: boolean): [sql: string, codec: JsonCodec] {
  switch (column.kind) {
    case 'decimal':
      // As a Float through float8: Postgres and JavaScript both take the nearest double.
      return exact ? [`${ident}::numeric`, 'quoted'] : [`${ident}::float8`, 'number'];
    case 'bigint':
      return [`${ident}::int8`, 'quoted'];
    case 'int':
      return [`${ident}::int4`, 'raw'];
    case 'float':
      // The literal takes the column's type: a float4 stays a float4, a text column fails.
      return [`${ident} + '0'`, 'number'];
    case 'text':
      return [`${ident}::text`, 'string'];
    case 'date':
      return [`${ident}::date`, 'string'];
    case 'timestamp':
      return [`${ident}::timestamp`, 'datetime'];
    case 'timestamptz':
      return [`${ident}::timestamptz`, 'datetime'];
    case 'boolean':
      return [`${ident}::boolean`, 'boolean'];
    case 'json':
      return [`to_json(${ident})`, 'json'];
    default: {
      const never: never = column.kind;
      throw new MartqlError('INTERNAL', `no JSON form for column kind ${String(never)}`);
    }
  }
}

/**
 * The select list (`"id"::int4 as "c0", ...`; `null` when every field is a constant) and the
 * encoding of `fields`, `columnOf(name)` giving each field's declared column and `ident` its quoted
 * identifier.
 */
export function jsonRowSelect(
  fields: readonly JsonRowField[],
  columnOf: (name: string) => ModelColumn,
  ident: (column: ModelColumn) => string,
): { selectList: string; encoding: JsonRowEncoding } {
  const columns: string[] = [];
  const encoding: JsonRowEncoding = { fields: [] };
  for (const field of fields) {
    // Response keys are GraphQL names (the parser allows nothing else); checked all the same.
    if (!GRAPHQL_NAME.test(field.key))
      throw new MartqlError('INTERNAL', `'${field.key}' is not a GraphQL name`);
    if ('constant' in field) {
      encoding.fields.push({ key: field.key, constant: field.constant });
      continue;
    }
    const column = columnOf(field.column);
    const [sql, codec] = valueRead(ident(column), column, field.exact === true);
    columns.push(`${sql} as "c${columns.length}"`);
    encoding.fields.push({ key: field.key, codec });
  }
  return { selectList: columns.length ? columns.join(', ') : 'null', encoding };
}
