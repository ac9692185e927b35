/**
 * From a declared `data_type` to the query builder's column kind, and from a kind to its GraphQL
 * scalar. The schema is built from these declarations alone (no database), so an exposed column
 * without a type, or with one MartQL cannot map, fails the schema build naming the column.
 */
import { GraphQLBoolean, GraphQLFloat, GraphQLInt, GraphQLString, type GraphQLScalarType } from 'graphql';
import { MartqlError } from '../../errors';
import type { ColumnKind } from '../query';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar, JSONScalar } from './scalars';

/** Postgres type names (lowercased, modifiers such as `(18,2)` stripped) to kinds. */
const KIND_OF_TYPE: Readonly<Record<string, ColumnKind>> = {
  smallint: 'int',
  int2: 'int',
  integer: 'int',
  int: 'int',
  int4: 'int',
  bigint: 'bigint',
  int8: 'bigint',
  real: 'float',
  float4: 'float',
  float: 'float',
  float8: 'float',
  'double precision': 'float',
  numeric: 'decimal',
  decimal: 'decimal',
  text: 'text',
  varchar: 'text',
  'character varying': 'text',
  char: 'text',
  character: 'text',
  string: 'text',
  uuid: 'text',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  json: 'json',
  jsonb: 'json',
};

/** The kind of a declared data type, or undefined when MartQL has no mapping for it. */
export function kindOfDataType(dataType: string): ColumnKind | undefined {
  const normalized = dataType
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return Object.prototype.hasOwnProperty.call(KIND_OF_TYPE, normalized) ? KIND_OF_TYPE[normalized] : undefined;
}

/** The kind of a column, or a YAML_SCHEMA error naming the model and column. */
export function requireKind(model: string, column: string, dataType: string | undefined): ColumnKind {
  if (!dataType) {
    throw new MartqlError('YAML_SCHEMA', `column '${column}' of exposed model '${model}' declares no data_type`, {
      hint: 'the GraphQL schema is built from declared column types; add data_type to the column',
    });
  }
  const kind = kindOfDataType(dataType);
  if (!kind) {
    throw new MartqlError(
      'YAML_SCHEMA',
      `column '${column}' of exposed model '${model}' has data_type '${dataType}', which has no GraphQL mapping`,
    );
  }
  return kind;
}

/** The GraphQL scalar of a kind (numeric is a Float: dashboards want numbers, not strings). */
export function scalarOfKind(kind: ColumnKind): GraphQLScalarType {
  switch (kind) {
    case 'int':
      return GraphQLInt;
    case 'bigint':
      return BigIntScalar;
    case 'float':
    case 'decimal':
      return GraphQLFloat;
    case 'text':
      return GraphQLString;
    case 'boolean':
      return GraphQLBoolean;
    case 'date':
      return DateScalar;
    case 'timestamp':
    case 'timestamptz':
      return DateTimeScalar;
    case 'json':
      return JSONScalar;
    default: {
      const never: never = kind;
      throw new MartqlError('INTERNAL', `no scalar for column kind ${String(never)}`);
    }
  }
}

/** A column's scalar: its kind's, except a numeric column served exactly as a Decimal string. */
export function scalarOfColumn(column: { kind: ColumnKind; exact?: boolean }): GraphQLScalarType {
  return column.exact && column.kind === 'decimal' ? DecimalScalar : scalarOfKind(column.kind);
}

/**
 * Whether a column asks to be served exactly: `meta: { graphql_type: Decimal }` on a numeric
 * column. Asking it of any other type is an error naming the column.
 */
export function wantsExactDecimal(model: string, column: string, kind: ColumnKind, meta: Record<string, unknown>): boolean {
  const asked = meta.graphql_type;
  if (asked === undefined || asked === null) return false;
  if (typeof asked !== 'string' || asked.toLowerCase() !== 'decimal') {
    throw new MartqlError('YAML_SCHEMA', `column '${column}' of model '${model}' has graphql_type '${String(asked)}'; only Decimal is supported`);
  }
  if (kind !== 'decimal') {
    throw new MartqlError('YAML_SCHEMA', `column '${column}' of model '${model}' asks for graphql_type Decimal but its data_type is not numeric`);
  }
  return true;
}
