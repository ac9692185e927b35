/**
 * Rows of a model (`<model>(where, orderBy, limit, offset)`) and their total count (`totalCount`,
 * a separate statement so that it costs a query only when the field is selected).
 */
import { QueryError } from './errors';
import { compileWhere } from './filter';
import { orderable } from './kinds';
import { column, ident, resolveLimits, resolveModel, selectedColumns } from './model';
import { jsonRowSelect } from './json-row';
import { compileOrderBy, type OrderTarget } from './order';
import { compilePage } from './page';
import { Params } from './params';
import type { CompiledQuery, CountRequest, ModelColumn, ModelColumns, SelectRequest } from './types';

/**
 * `select <columns> from <relation> [where ...] order by ... limit $n offset $m`.
 *
 * @example
 * buildSelect(orders, { where: { status: { eq: 'paid' } }, orderBy: [{ column: 'id', direction: 'ASC' }],
 *   limit: 10, maxLimit: 1000, columns: ['id', 'amount'] })
 * // { sql: 'select "id", "amount" from "mart"."orders" where "status" = $1::text
 * //         order by "id" asc limit $2::int8 offset $3::int8', params: ['paid', 10, 0] }
 *
 * With `json`, the select list is what the warehouse needs to write each row as GraphQL JSON text
 * (json-row.ts), and the result carries the encoding to pass it (`warehouse.queryJsonRows`).
 */
export function buildSelect(model: ModelColumns, request: SelectRequest): CompiledQuery {
  const m = resolveModel(model);
  const limits = resolveLimits(request.limits);
  const params = new Params();
  const json = request.json && jsonRowSelect(request.json, (name) => column(m, name, ['json']), ident);
  const selectList = json
    ? json.selectList
    : selectedColumns(m, request.columns, ['columns']).map(ident).join(', ');
  const where = compileWhere(m, request.where, params, limits);
  // ORDER BY reads a bare name as an output column when one has that name: the JSON path's select
  // list names its columns c0, c1, ..., which a model's own columns may be called. Qualified, a
  // name is always the relation's column.
  const orderIdent = (col: ModelColumn) => (json ? `${m.relation}.${ident(col)}` : ident(col));
  const order = compileOrderBy(
    request.orderBy,
    limits,
    ['orderBy'],
    (entry, path): OrderTarget => {
      if (entry.aggregate !== undefined)
        throw new QueryError([...path, 'aggregate'], 'rows order by columns only');
      const col = column(m, entry.column, [...path, 'column']);
      if (!orderable(col.kind))
        throw new QueryError([...path, 'column'], `${col.kind} columns cannot be ordered by`);
      return { sql: orderIdent(col), key: col.name };
    },
    m.key.map((col) => ({ sql: orderIdent(col), key: col.name })),
  );
  const page = compilePage(request.limit, request.offset, request.maxLimit, limits, params);
  const sql = [
    `select ${selectList}`.trimEnd(),
    `from ${m.relation}`,
    where === undefined ? undefined : `where ${where}`,
    order.length ? `order by ${order.join(', ')}` : undefined,
    page,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  return json ? { sql, params: params.values, json: json.encoding } : { sql, params: params.values };
}

/** `select count(*) as "totalCount" from <relation> [where ...]`; the count comes back as a number. */
export function buildCount(model: ModelColumns, request: CountRequest = {}): CompiledQuery {
  const m = resolveModel(model);
  const params = new Params();
  const where = compileWhere(m, request.where, params, resolveLimits(request.limits));
  const sql = `select count(*) as "totalCount" from ${m.relation}${where === undefined ? '' : ` where ${where}`}`;
  return { sql, params: params.values };
}
