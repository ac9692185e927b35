/**
 * Rows for many keys in one statement: the batch function behind the per-request DataLoaders of
 * relationship fields and `<model>ByKey`.
 *
 * The keys are bound as one array per key column and joined through
 * `unnest(...) with ordinality`, so each row comes back with the position of the key it matched
 * (`__key`). Matching is done by Postgres with the column's own equality — not by comparing
 * values again in JavaScript, where `1.50` and `1.5`, a bigint as number or string, or two
 * spellings of one instant would differ. The SQL text is the same for 1 key or 5000, so one
 * prepared statement serves every batch. A NULL key part matches nothing, as SQL equality does.
 *
 * @example
 * buildByKey(customers, ['customer_id'], [[3], [7]])
 * // select k.ord - 1 as "__key", t."customer_id", t."name"
 * //   from unnest($1::int[]) with ordinality as k(k1, ord)
 * //   join "mart"."customers" as t on t."customer_id" = k.k1 order by k.ord
 * // params: [[3, 7]]
 */
import { QueryError, expectArray, type PathSegment } from './errors';
import { kindInfo, orderable } from './kinds';
import { column, ident, resolveLimits, resolveModel, selectedColumns } from './model';
import { compileOrderBy } from './order';
import { Params } from './params';
import type { ByKeyRequest, CompiledByKey, ModelColumns } from './types';
import { normalizeValue, type BoundValue } from './values';

export const KEY_INDEX_COLUMN = '__key';

export function buildByKey(
  model: ModelColumns,
  keyColumns: string[],
  keys: unknown[][],
  request: ByKeyRequest = {},
): CompiledByKey {
  const m = resolveModel(model);
  const limits = resolveLimits(request.limits);
  const params = new Params();

  const keyCols = expectArray(keyColumns, ['keyColumns']).map((name, i) => {
    const col = column(m, name, ['keyColumns', i]);
    if (!kindInfo(col.kind).equality)
      throw new QueryError(['keyColumns', i], `${col.kind} columns cannot be keys`);
    return col;
  });
  if (keyCols.length === 0) throw new QueryError(['keyColumns'], 'expected at least one key column');
  if (new Set(keyCols).size !== keyCols.length)
    throw new QueryError(['keyColumns'], 'a key column is listed twice');

  const tuples = expectArray(keys, ['keys']);
  if (tuples.length === 0) throw new QueryError(['keys'], 'expected at least one key');
  if (tuples.length > limits.maxKeys)
    throw new QueryError(['keys'], `at most ${limits.maxKeys} keys per batch`);
  const arrays: (BoundValue | null)[][] = keyCols.map(() => []);
  tuples.forEach((tuple, i) => {
    const parts = expectArray(tuple, ['keys', i]);
    if (parts.length !== keyCols.length) {
      throw new QueryError(['keys', i], `expected ${keyCols.length} key values, got ${parts.length}`);
    }
    parts.forEach((part, j) => {
      const path: PathSegment[] = ['keys', i, j];
      arrays[j].push(
        part === null || part === undefined ? null : normalizeValue(part, keyCols[j].kind, path, limits),
      );
    });
  });

  const columns = selectedColumns(m, request.columns, ['columns']);
  if (columns.some((c) => c.name === KEY_INDEX_COLUMN)) {
    throw new QueryError(['columns'], `a column named ${KEY_INDEX_COLUMN} cannot be loaded by key`);
  }
  const unnest = arrays.map((values, j) => params.bind(values, `${kindInfo(keyCols[j].kind).cast}[]`));
  const names = keyCols.map((_, j) => `k${j + 1}`);
  const on = keyCols.map((col, j) => `t.${ident(col)} = k.${names[j]}`).join(' and ');
  const order = compileOrderBy(
    request.orderBy,
    limits,
    ['orderBy'],
    (entry, path) => {
      const col = column(m, entry.column, [...path, 'column']);
      if (!orderable(col.kind))
        throw new QueryError([...path, 'column'], `${col.kind} columns cannot be ordered by`);
      return { sql: `t.${ident(col)}`, key: col.name };
    },
    m.key.map((col) => ({ sql: `t.${ident(col)}`, key: col.name })),
  );
  const sql = [
    `select k.ord - 1 as "${KEY_INDEX_COLUMN}"${columns.map((c) => `, t.${ident(c)}`).join('')}`,
    `from unnest(${unnest.join(', ')}) with ordinality as k(${names.join(', ')}, ord)`,
    `join ${m.relation} as t on ${on}`,
    `order by ${['k.ord', ...order].join(', ')}`,
  ].join(' ');
  return { sql, params: params.values, keyIndexColumn: KEY_INDEX_COLUMN };
}

/**
 * The rows of a `buildByKey` result grouped per key, in key order, without the key index column:
 * what a DataLoader batch function returns (one entry per key; `[]` for a key with no row).
 */
export function rowsPerKey<Row extends Record<string, unknown>>(
  rows: Row[],
  keyCount: number,
): Omit<Row, typeof KEY_INDEX_COLUMN>[][] {
  const out: Omit<Row, typeof KEY_INDEX_COLUMN>[][] = Array.from({ length: keyCount }, () => []);
  for (const row of rows) {
    const { [KEY_INDEX_COLUMN]: index, ...rest } = row;
    out[Number(index)].push(rest);
  }
  return out;
}
