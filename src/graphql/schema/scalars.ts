/**
 * The custom scalars of the API. Values arrive from the warehouse in the text forms `warehouse/`
 * decodes them to (int8 as a number or bigint, dates and timestamps as Postgres text), and leave as
 * JSON-safe strings: a BigInt as its decimal digits (a JS number loses precision past 2^53), a Date
 * as `YYYY-MM-DD`, a DateTime as ISO-8601 (microseconds kept). Inputs are validated here and passed
 * to the query builder as strings, which binds them as parameters with the column's cast.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isoDateTime } from '../../warehouse';

const INTEGER = /^-?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Date and time with an optional fraction and zone, separated by `T` or a space.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

function bad(scalar: string, value: unknown): GraphQLError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
  return new GraphQLError(`${scalar} cannot represent ${shown}`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalString(scalar: string, ast: ValueNode): string {
  if (ast.kind === Kind.STRING) return ast.value;
  if (scalar === 'BigInt' && ast.kind === Kind.INT) return ast.value;
  throw new GraphQLError(`${scalar} expects a string literal`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function bigIntInput(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && INTEGER.test(value)) return value;
  throw bad('BigInt', value);
}

export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'A 64-bit integer, as a string of decimal digits (exact beyond 2^53).',
  serialize(value) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
    if (typeof value === 'string' && INTEGER.test(value)) return value;
    throw bad('BigInt', value);
  },
  parseValue: bigIntInput,
  parseLiteral: (ast) => bigIntInput(literalString('BigInt', ast)),
});

function dateInput(value: unknown): string {
  if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw bad('Date', value);
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, `YYYY-MM-DD`.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string') return value;
    throw bad('Date', value);
  },
  parseValue: dateInput,
  parseLiteral: (ast) => dateInput(literalString('Date', ast)),
});

function dateTimeInput(value: unknown): string {
  if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T'))))
    return value;
  throw bad('DateTime', value);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A point in time, ISO-8601 (`2024-05-01T12:00:00.123456Z`); microseconds are kept.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return isoDateTime(value);
    throw bad('DateTime', value);
  },
  parseValue: dateTimeInput,
  parseLiteral: (ast) => dateTimeInput(literalString('DateTime', ast)),
});

function jsonLiteral(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => jsonLiteral(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, jsonLiteral(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default: {
      const never: never = ast;
      throw new Error(`unexpected literal ${JSON.stringify(never)}`);
    }
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?$/;

function decimalInput(value: unknown): string {
  if (typeof value === 'string' && DECIMAL.test(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw bad('Decimal', value);
}

/** A numeric column served exactly, as its decimal digits (`graphql_type: Decimal` in the column's meta). */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string of digits (numeric columns whose YAML asks for it).',
  serialize(value) {
    if (typeof value === 'string' && DECIMAL.test(value)) return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'bigint') return value.toString();
    throw bad('Decimal', value);
  },
  parseValue: decimalInput,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return decimalInput(ast.value);
    throw new GraphQLError('Decimal expects a string or number literal', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: jsonLiteral,
});
