/**
 * The public API of the GraphQL query builder: pure functions from a request to `{ sql, params }`.
 * Everything the GraphQL layer needs is re-exported here; the other files are internals.
 *
 * Guarantees:
 * - Values reach SQL only as bind parameters (`$1::date`, `= any($2::int[])`); identifiers only
 *   from the model's declared columns, quoted by `quoteIdent`. A name that is not declared, an
 *   operator that does not apply to the column's kind, a value of the wrong type, an empty `in`,
 *   a limit above `maxLimit`, nesting or size beyond `QueryLimits` all throw `QueryError`.
 * - `QueryError.code` is `'BAD_USER_INPUT'` and `QueryError.path` names the argument
 *   (`where.or[1].channel.like`); the GraphQL layer maps them to `extensions.code` and
 *   `extensions.argumentPath`. Problems in the model itself (from the manifest) are
 *   `MartqlError('INTERNAL')`.
 * - The same request always compiles to the same SQL text; the text depends on the request's shape
 *   (which columns, operators, nesting), not its values, limit or offset.
 * - NULLs: every condition is true or false, never unknown — `eq`/`lt`/`in`/`like`... are false on
 *   NULL, `ne`/`notIn`/`not` are exact complements (true on NULL), `eq: null` is refused in favour
 *   of `isNull`. See `filter.ts`.
 */
export type {
  AggregateField,
  AggregateFunction,
  AggregateOrder,
  AggregateRequest,
  AggregateSpec,
  ByKeyRequest,
  ColumnFilter,
  ColumnKind,
  ColumnOperator,
  CompiledAggregate,
  CompiledByKey,
  CompiledQuery,
  CountRequest,
  JsonRowField,
  Direction,
  Filter,
  ModelColumn,
  ModelColumns,
  NullsPlacement,
  Order,
  QueryLimits,
  ScalarValue,
  SelectRequest,
  TimeGrain,
  TimeGrainUnit,
} from './types';
export { DEFAULT_LIMITS } from './types';
export { QueryError, formatPath } from './errors';
export { buildSelect, buildCount } from './select';
export { buildAggregate, DEFAULT_AGGREGATE_MAX_LIMIT } from './aggregate';
export { buildByKey, rowsPerKey, KEY_INDEX_COLUMN } from './by-key';
export { kindInfo, orderable, type KindInfo } from './kinds';
