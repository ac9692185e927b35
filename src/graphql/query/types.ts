/**
 * The inputs and outputs of the GraphQL query builder, as plain data.
 *
 * The GraphQL layer turns a request's arguments into these shapes and the builders turn them into
 * `{ sql, params }`. Nothing here is trusted: every name is checked against the model's declared
 * columns and every value against its column's kind before any SQL text is produced.
 */
import type { JsonRowEncoding } from '../../warehouse';
import type { JsonRowField } from './json-row';

export type { JsonRowField };

/** The kinds of column a model declares; the GraphQL scalar and the SQL cast follow from it. */
export type ColumnKind =
  'int' | 'bigint' | 'float' | 'decimal' | 'text' | 'boolean' | 'date' | 'timestamp' | 'timestamptz' | 'json';

export interface ModelColumn {
  name: string;
  kind: ColumnKind;
}

/** A model as the manifest declares it: where it lives and its columns (the only identifiers used). */
export interface ModelColumns {
  relation: { schema: string; identifier: string };
  columns: ModelColumn[];
  /**
   * The model's unique key, when it declares one. Appended to every ORDER BY as a tie-breaker so
   * that limit/offset pages are stable; without it, rows that tie on the requested order may move
   * between pages.
   */
  key?: string[];
}

/**
 * A value as it may arrive from GraphQL: numbers for Int/Float, strings for BigInt, Decimal, Date
 * and DateTime scalars, a JS bigint or Date where a scalar parses to one.
 */
export type ScalarValue = string | number | boolean | bigint | Date;

/** Conditions on one column; several in one object must all hold. */
export interface ColumnFilter {
  eq?: ScalarValue;
  ne?: ScalarValue;
  in?: ScalarValue[];
  notIn?: ScalarValue[];
  lt?: ScalarValue;
  lte?: ScalarValue;
  gt?: ScalarValue;
  gte?: ScalarValue;
  isNull?: boolean;
  /** Postgres LIKE pattern (`%`, `_`, `\` escapes); text columns only. */
  like?: string;
  ilike?: string;
}

export type ColumnOperator = keyof ColumnFilter;

/**
 * A filter: column conditions plus `and`/`or`/`not`, all of which must hold. A column named
 * `and`, `or` or `not` cannot be filtered (the key means the combinator).
 */
export interface Filter {
  and?: Filter[];
  or?: Filter[];
  not?: Filter;
  [column: string]: ColumnFilter | Filter[] | Filter | undefined;
}

export type Direction = 'ASC' | 'DESC';
export type NullsPlacement = 'FIRST' | 'LAST';

export interface Order {
  column: string;
  direction: Direction;
  /** Postgres's default when absent: NULLS LAST for ASC, NULLS FIRST for DESC. */
  nulls?: NullsPlacement;
}

/** The bounds that keep one request from costing too much; see `DEFAULT_LIMITS`. */
export interface QueryLimits {
  /** Nesting of and/or/not below the top of `where`. */
  maxDepth: number;
  /** Filter objects plus column conditions in one `where`. */
  maxConditions: number;
  /** Values in one `in`/`notIn` list. */
  maxInList: number;
  /** Characters in one string value. */
  maxStringLength: number;
  /** Entries in `orderBy`. */
  maxOrderBy: number;
  /** Highest `offset` (a large offset makes Postgres read and discard that many rows). */
  maxOffset: number;
  /** Keys in one `buildByKey` batch. */
  maxKeys: number;
}

export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 10,
  maxConditions: 200,
  maxInList: 1000,
  maxStringLength: 1_000_000,
  maxOrderBy: 16,
  maxOffset: 1_000_000,
  maxKeys: 5000,
});

export interface SelectRequest {
  where?: Filter;
  orderBy?: Order[];
  limit: number;
  offset?: number;
  /** The selected fields; every declared column when absent. Emitted in declared order. */
  columns?: string[];
  /**
   * Instead of columns, the rows as GraphQL JSON text with these keys in this order (see
   * json-row.ts): the select list reads what they need, `columns` is ignored.
   */
  json?: readonly JsonRowField[];
  maxLimit: number;
  limits?: Partial<QueryLimits>;
}

export interface CountRequest {
  where?: Filter;
  limits?: Partial<QueryLimits>;
}

export type TimeGrainUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface TimeGrain {
  column: string;
  grain: TimeGrainUnit;
  /** An IANA zone name; for timestamptz columns only ('UTC' when absent). */
  timezone?: string;
}

export interface AggregateSpec {
  count?: true;
  sum?: string[];
  avg?: string[];
  min?: string[];
  max?: string[];
}

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** Order of an aggregate result: by a group column, or by an aggregate (`{ aggregate: 'sum', column }`). */
export type AggregateOrder =
  Order | { aggregate: AggregateFunction; column?: string; direction: Direction; nulls?: NullsPlacement };

export interface AggregateRequest {
  groupBy: string[];
  where?: Filter;
  orderBy?: AggregateOrder[];
  limit: number;
  offset?: number;
  aggregates: AggregateSpec;
  timeGrain?: TimeGrain;
  /** 1000 when absent. */
  maxLimit?: number;
  limits?: Partial<QueryLimits>;
}

export interface ByKeyRequest {
  /** Selected columns; every declared column when absent. */
  columns?: string[];
  /** Order of the rows within one key (after the model key, when declared). */
  orderBy?: Order[];
  limits?: Partial<QueryLimits>;
}

/** A statement ready for `Session.query(sql, params)`. */
export interface CompiledQuery {
  sql: string;
  params: unknown[];
  /** For a select with `json`: how the warehouse writes its rows as JSON text (`queryJsonRows`). */
  json?: JsonRowEncoding;
}

/** One output column of an aggregate query and what it holds. */
export interface AggregateField {
  alias: string;
  role: 'group' | AggregateFunction;
  /** The model column (absent for `count`). */
  column?: string;
}

export interface CompiledAggregate extends CompiledQuery {
  fields: AggregateField[];
}

export interface CompiledByKey extends CompiledQuery {
  /** The output column holding the 0-based index of the key a row belongs to. */
  keyIndexColumn: string;
}
