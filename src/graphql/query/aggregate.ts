/**
 * `<model>Aggregate(groupBy, where, orderBy, limit)`: groups, optionally bucketed by a time grain,
 * with count and sum/avg/min/max.
 *
 * Output columns are named so that no two can collide and the GraphQL layer can map them back
 * through `fields`: a group column keeps its name (a time-grain column too, holding the bucket),
 * an aggregate is named like its SQL, `count(*)`, `sum(amount)`. GROUP BY uses output positions,
 * because a name there would mean the input column, not the bucket of the same name. Results are
 * ordered by the requested terms and then by every group column, so the row order is determined.
 *
 * Result types are Postgres's: sum of int is bigint (a number), sum of bigint or decimal and avg of
 * integers or decimals are numeric (exact decimal strings), sum/avg of float are floats.
 */
import { QueryError, expectArray, expectObject, type PathSegment } from './errors';
import { compileWhere } from './filter';
import { kindInfo } from './kinds';
import { column, ident, resolveLimits, resolveModel, type ResolvedModel } from './model';
import { compileOrderBy, type OrderTarget } from './order';
import { compilePage } from './page';
import { Params } from './params';
import { compileTimeGrain } from './time-grain';
import type {
  AggregateField,
  AggregateFunction,
  AggregateRequest,
  CompiledAggregate,
  ModelColumns,
} from './types';
import { quoteIdent } from '../../warehouse';

export const DEFAULT_AGGREGATE_MAX_LIMIT = 1000;

const FUNCTIONS: readonly Exclude<AggregateFunction, 'count'>[] = ['sum', 'avg', 'min', 'max'];

interface OutputColumn {
  field: AggregateField;
  sql: string;
}

export function buildAggregate(model: ModelColumns, request: AggregateRequest): CompiledAggregate {
  const m = resolveModel(model);
  const limits = resolveLimits(request.limits);
  const params = new Params();

  const groups = groupColumns(m, request, params);
  const aggregates = aggregateColumns(m, request.aggregates, ['aggregates']);
  const outputs = [...groups, ...aggregates];
  if (outputs.length === 0) throw new QueryError(['aggregates'], 'nothing to group by or compute');
  const aliases = new Set<string>();
  for (const { field } of outputs) {
    if (aliases.has(field.alias))
      throw new QueryError(['groupBy'], `two results would be named ${field.alias}`);
    aliases.add(field.alias);
  }

  const where = compileWhere(m, request.where, params, limits);
  const byAlias = (alias: string): OrderTarget => ({ sql: quoteIdent(alias), key: alias });
  const order = compileOrderBy(
    request.orderBy,
    limits,
    ['orderBy'],
    (entry, path) => byAlias(orderAlias(entry, path, groups, aliases)),
    groups.map(({ field }) => byAlias(field.alias)),
  );
  const maxLimit = request.maxLimit ?? DEFAULT_AGGREGATE_MAX_LIMIT;
  const page = compilePage(request.limit, request.offset, maxLimit, limits, params);

  const sql = [
    `select ${outputs.map(({ sql, field }) => (sql === quoteIdent(field.alias) ? sql : `${sql} as ${quoteIdent(field.alias)}`)).join(', ')}`,
    `from ${m.relation}`,
    where === undefined ? undefined : `where ${where}`,
    groups.length ? `group by ${groups.map((_, i) => i + 1).join(', ')}` : undefined,
    order.length ? `order by ${order.join(', ')}` : undefined,
    page,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return { sql, params: params.values, fields: outputs.map(({ field }) => field) };
}

/** The group columns in request order; the time-grain column, when not among them, goes first. */
function groupColumns(m: ResolvedModel, request: AggregateRequest, params: Params): OutputColumn[] {
  const names = expectArray(request.groupBy ?? [], ['groupBy']);
  const grain =
    request.timeGrain === undefined || request.timeGrain === null
      ? undefined
      : compileTimeGrain(m, request.timeGrain, params, ['timeGrain']);
  const out: OutputColumn[] = [];
  const seen = new Set<string>();
  if (grain && !names.includes(grain.column.name)) {
    out.push({
      field: { alias: grain.column.name, role: 'group', column: grain.column.name },
      sql: grain.sql,
    });
    seen.add(grain.column.name);
  }
  names.forEach((name, i) => {
    const col = column(m, name, ['groupBy', i]);
    if (!kindInfo(col.kind).equality)
      throw new QueryError(['groupBy', i], `${col.kind} columns cannot be grouped by`);
    if (seen.has(col.name) && !(grain && grain.column === col)) {
      throw new QueryError(['groupBy', i], `${JSON.stringify(col.name)} is listed twice`);
    }
    if (seen.has(col.name)) return;
    seen.add(col.name);
    const sql = grain && grain.column === col ? grain.sql : ident(col);
    out.push({ field: { alias: col.name, role: 'group', column: col.name }, sql });
  });
  return out;
}

function aggregateColumns(m: ResolvedModel, value: unknown, path: readonly PathSegment[]): OutputColumn[] {
  if (value === undefined || value === null) return [];
  const spec = expectObject(value, path);
  for (const key of Object.keys(spec)) {
    if (key !== 'count' && !(FUNCTIONS as readonly string[]).includes(key)) {
      throw new QueryError([...path, key], `unknown aggregate ${JSON.stringify(key)}`);
    }
  }
  const out: OutputColumn[] = [];
  if (spec.count !== undefined && spec.count !== null && spec.count !== false) {
    if (spec.count !== true) throw new QueryError([...path, 'count'], 'expected true');
    out.push({ field: { alias: 'count(*)', role: 'count' }, sql: 'count(*)' });
  }
  for (const fn of FUNCTIONS) {
    if (spec[fn] === undefined || spec[fn] === null) continue;
    const seen = new Set<string>();
    expectArray(spec[fn], [...path, fn]).forEach((name, i) => {
      const here = [...path, fn, i];
      const col = column(m, name, here);
      const info = kindInfo(col.kind);
      const allowed = fn === 'sum' || fn === 'avg' ? info.numeric : info.ordered;
      if (!allowed) throw new QueryError(here, `${fn} does not apply to ${col.kind} columns`);
      if (seen.has(col.name)) throw new QueryError(here, `${JSON.stringify(col.name)} is listed twice`);
      seen.add(col.name);
      out.push({
        field: { alias: `${fn}(${col.name})`, role: fn, column: col.name },
        sql: `${fn}(${ident(col)})`,
      });
    });
  }
  return out;
}

/** The output alias an aggregate ordering entry names: a group column, or a requested aggregate. */
function orderAlias(
  entry: Record<string, unknown>,
  path: readonly PathSegment[],
  groups: OutputColumn[],
  aliases: ReadonlySet<string>,
): string {
  const fn = entry.aggregate;
  if (fn === undefined || fn === null) {
    const name = entry.column;
    const group = groups.find(({ field }) => field.column === name);
    if (!group) throw new QueryError([...path, 'column'], 'expected a column of groupBy or the time grain');
    return group.field.alias;
  }
  if (fn === 'count') {
    if (entry.column !== undefined && entry.column !== null) {
      throw new QueryError([...path, 'column'], 'count takes no column');
    }
    if (!aliases.has('count(*)')) throw new QueryError([...path, 'aggregate'], 'count is not requested');
    return 'count(*)';
  }
  if (typeof fn !== 'string' || !(FUNCTIONS as readonly string[]).includes(fn)) {
    throw new QueryError([...path, 'aggregate'], 'expected count, sum, avg, min or max');
  }
  const alias = `${fn}(${typeof entry.column === 'string' ? entry.column : ''})`;
  if (typeof entry.column !== 'string' || !aliases.has(alias)) {
    throw new QueryError([...path, 'column'], `expected a column whose ${fn} is requested`);
  }
  return alias;
}
