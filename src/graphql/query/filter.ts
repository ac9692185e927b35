/**
 * Compiles a `where` filter tree into a boolean SQL expression with bound values.
 *
 * NULL semantics: every condition is plainly true or false for each row, never SQL's "unknown".
 * - `eq`, `in`, `lt`, `lte`, `gt`, `gte`, `like`, `ilike` are false on a NULL column value;
 * - `ne` and `notIn` are their exact complements, so they are true on NULL (`ne: "web"` returns the
 *   rows whose channel is not "web", including those with no channel — what `!==` would do);
 * - `not` is the exact complement of its filter, so a filter and its `not` partition the rows;
 * - `eq: null` (and null anywhere a value is expected) is refused: NULL is tested with `isNull`.
 * In SQL, the positive conditions are written plainly (`"a" = $1`, index-friendly), because a
 * NULL among `and`/`or` can only ever make the whole expression not true, which WHERE already
 * treats as false. Only complements need care: `ne` is `is distinct from`, and `not`/`notIn` are
 * `(...) is not true`, which turns SQL's unknown into true.
 *
 * Canonical order: column conditions in the model's declared column order, then `and`, `or`, `not`,
 * and each column's operators in a fixed order, so key order in the request does not change the SQL.
 */
import { QueryError, expectArray, expectObject, type PathSegment } from './errors';
import { kindInfo, operatorRefusal, unreachable } from './kinds';
import { column, ident, type ResolvedModel } from './model';
import type { Params } from './params';
import type { ColumnOperator, ModelColumn, QueryLimits } from './types';
import { normalizePattern, normalizeValue } from './values';

const OPERATORS: readonly ColumnOperator[] = [
  'eq',
  'ne',
  'in',
  'notIn',
  'lt',
  'lte',
  'gt',
  'gte',
  'isNull',
  'like',
  'ilike',
];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);
const COMBINATORS: ReadonlySet<string> = new Set(['and', 'or', 'not']);
const COMPARISON: Record<'lt' | 'lte' | 'gt' | 'gte', string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** An expression and whether it must be parenthesized when nested (a multi-part and/or). */
interface Expr {
  sql: string;
  compound: boolean;
}

const TRUE: Expr = { sql: 'true', compound: false };
const FALSE: Expr = { sql: 'false', compound: false };

/**
 * The WHERE expression for `where` (without the keyword), or undefined when the filter holds for
 * every row (absent, `{}`, `and: []`).
 */
export function compileWhere(
  model: ResolvedModel,
  where: unknown,
  params: Params,
  limits: QueryLimits,
  path: readonly PathSegment[] = ['where'],
): string | undefined {
  if (where === undefined) return undefined;
  const compiler = new FilterCompiler(model, params, limits);
  const expr = compiler.filter(where, path, 0);
  return expr === TRUE ? undefined : expr.sql;
}

class FilterCompiler {
  private conditions = 0;

  constructor(
    private readonly model: ResolvedModel,
    private readonly params: Params,
    private readonly limits: QueryLimits,
  ) {}

  filter(value: unknown, path: readonly PathSegment[], depth: number): Expr {
    if (value === null) throw new QueryError(path, 'null is not a filter');
    const node = expectObject(value, path);
    this.count(path);
    const keys = Object.keys(node);
    for (const key of keys) {
      if (!COMBINATORS.has(key)) column(this.model, key, [...path, key]);
    }
    const parts: Expr[] = [];
    for (const col of this.model.columns) {
      if (!Object.prototype.hasOwnProperty.call(node, col.name) || COMBINATORS.has(col.name)) continue;
      const conditions = node[col.name];
      if (conditions !== undefined) parts.push(this.columnFilter(col, conditions, [...path, col.name]));
    }
    if (node.and !== undefined) parts.push(this.group('and', node.and, path, depth));
    if (node.or !== undefined) parts.push(this.group('or', node.or, path, depth));
    if (node.not !== undefined) {
      this.deeper(depth, [...path, 'not']);
      const inner = this.filter(node.not, [...path, 'not'], depth + 1);
      // Parenthesized even when simple: `is not true` must apply to the whole condition.
      parts.push({ sql: `(${inner.sql}) is not true`, compound: false });
    }
    return combine('and', parts);
  }

  private group(op: 'and' | 'or', value: unknown, path: readonly PathSegment[], depth: number): Expr {
    const here = [...path, op];
    if (value === null) throw new QueryError(here, 'expected a list of filters');
    this.deeper(depth, here);
    const items = expectArray(value, here).map((item, i) => this.filter(item, [...here, i], depth + 1));
    return combine(op, items);
  }

  private columnFilter(col: ModelColumn, value: unknown, path: readonly PathSegment[]): Expr {
    if (value === null) throw new QueryError(path, 'null is not a filter; use { isNull: true }');
    const node = expectObject(value, path);
    for (const key of Object.keys(node)) {
      if (!OPERATOR_SET.has(key))
        throw new QueryError([...path, key], `unknown operator ${JSON.stringify(key)}`);
    }
    const parts: Expr[] = [];
    for (const op of OPERATORS) {
      if (node[op] === undefined) continue;
      const here = [...path, op];
      const refusal = operatorRefusal(op, col.kind);
      if (refusal) throw new QueryError(here, `${refusal}; ${JSON.stringify(col.name)} is ${col.kind}`);
      this.count(here);
      parts.push({ sql: this.condition(col, op, node[op], here), compound: false });
    }
    return combine('and', parts);
  }

  private condition(
    col: ModelColumn,
    op: ColumnOperator,
    value: unknown,
    path: readonly PathSegment[],
  ): string {
    const c = ident(col);
    const cast = kindInfo(col.kind).cast;
    switch (op) {
      case 'eq':
        return `${c} = ${this.scalar(col, value, path, cast)}`;
      case 'ne':
        return `${c} is distinct from ${this.scalar(col, value, path, cast)}`;
      case 'in':
        return `${c} = any(${this.list(col, value, path, cast)})`;
      case 'notIn':
        return `(${c} = any(${this.list(col, value, path, cast)})) is not true`;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        return `${c} ${COMPARISON[op]} ${this.scalar(col, value, path, cast)}`;
      case 'isNull':
        if (typeof value !== 'boolean') throw new QueryError(path, 'expected true or false');
        return value ? `${c} is null` : `${c} is not null`;
      case 'like':
      case 'ilike':
        return `${c} ${op} ${this.params.bind(normalizePattern(value, path, this.limits), 'text')}`;
      default:
        return unreachable(op);
    }
  }

  private scalar(col: ModelColumn, value: unknown, path: readonly PathSegment[], cast: string): string {
    return this.params.bind(normalizeValue(value, col.kind, path, this.limits), cast);
  }

  private list(col: ModelColumn, value: unknown, path: readonly PathSegment[], cast: string): string {
    if (value === null) throw new QueryError(path, 'expected a list of values');
    const items = expectArray(value, path);
    if (items.length === 0)
      throw new QueryError(path, 'an empty list matches nothing; leave the condition out');
    if (items.length > this.limits.maxInList) {
      throw new QueryError(path, `a list may hold at most ${this.limits.maxInList} values`);
    }
    const bound = items.map((item, i) => normalizeValue(item, col.kind, [...path, i], this.limits));
    return this.params.bind(bound, `${cast}[]`);
  }

  private count(path: readonly PathSegment[]): void {
    if (++this.conditions > this.limits.maxConditions) {
      throw new QueryError(
        path,
        `a filter may hold at most ${this.limits.maxConditions} filters and conditions`,
      );
    }
  }

  private deeper(depth: number, path: readonly PathSegment[]): void {
    if (depth + 1 > this.limits.maxDepth) {
      throw new QueryError(path, `filters may nest and/or/not at most ${this.limits.maxDepth} levels deep`);
    }
  }
}

/** `a and b` (or `or`) over the parts; the identity (true/false) when there are none. */
function combine(op: 'and' | 'or', all: Expr[]): Expr {
  const parts = all.filter((part) => part !== (op === 'and' ? TRUE : FALSE));
  if (parts.length === 0) return op === 'and' ? TRUE : FALSE;
  if (parts.length === 1) return parts[0];
  return { sql: parts.map(wrap).join(` ${op} `), compound: true };
}

function wrap(expr: Expr): string {
  return expr.compound ? `(${expr.sql})` : expr.sql;
}
