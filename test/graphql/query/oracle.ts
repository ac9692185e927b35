/**
 * A brute-force TypeScript evaluation of the query language — filter, order, limit/offset,
 * grouping — written from the documented semantics, independently of the SQL compiler. The tests
 * compare what the database returns for the compiled SQL with what this computes over the same rows.
 */
import type { ColumnKind, Filter, ColumnFilter, Order } from '../../../src/graphql/query';
import { COLUMNS, type Row } from './fixture';

const KIND = new Map(COLUMNS.map((c) => [c.name, c.kind]));

function instant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  let s = String(value).replace(' ', 'T');
  s = s.replace(/([+-]\d{2})$/, '$1:00'); // Postgres prints '+00'; Date.parse wants '+00:00'
  return Date.parse(s);
}

/** <0, 0, >0 as Postgres orders two non-null values of a kind (text: collate "C", i.e. UTF-8 bytes). */
export function compare(kind: ColumnKind, a: unknown, b: unknown): number {
  switch (kind) {
    case 'int':
    case 'float':
      return Number(a) - Number(b);
    case 'decimal':
      return Number(a) - Number(b);
    case 'bigint': {
      const x = BigInt(String(a));
      const y = BigInt(String(b));
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'text':
      return Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));
    case 'boolean':
      return Number(a) - Number(b);
    case 'date':
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    case 'timestamp':
      return instant(`${String(a).replace('T', ' ')}Z`) - instant(`${String(b).replace('T', ' ')}Z`);
    case 'timestamptz':
      return instant(a) - instant(b);
    case 'json':
      throw new Error('json is not ordered');
  }
}

/**
 * Postgres LIKE: `%` any run, `_` one character, `\\x` a literal x, over code points. The classic
 * wildcard matcher with one backtrack point (a RegExp would be too large for a 200k pattern).
 */
export function likeMatches(value: string, pattern: string): boolean {
  const tokens: (string | '%any' | '%one')[] = [];
  const p = [...pattern];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') tokens.push(p[++i]);
    else if (p[i] === '%') tokens.push('%any');
    else if (p[i] === '_') tokens.push('%one');
    else tokens.push(p[i]);
  }
  const v = [...value];
  let vi = 0;
  let ti = 0;
  let starT = -1;
  let starV = 0;
  while (vi < v.length) {
    if (ti < tokens.length && (tokens[ti] === '%one' || tokens[ti] === v[vi])) {
      vi++;
      ti++;
    } else if (ti < tokens.length && tokens[ti] === '%any') {
      starT = ti++;
      starV = vi;
    } else if (starT >= 0) {
      ti = starT + 1;
      vi = ++starV;
    } else return false;
  }
  while (ti < tokens.length && tokens[ti] === '%any') ti++;
  return ti === tokens.length;
}

export const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function columnHolds(kind: ColumnKind, value: unknown, cond: ColumnFilter): boolean {
  const eq = (v: unknown) => value !== null && compare(kind, value, v) === 0;
  const checks: boolean[] = [];
  if (cond.eq !== undefined) checks.push(eq(cond.eq));
  if (cond.ne !== undefined) checks.push(!eq(cond.ne));
  if (cond.in !== undefined) checks.push(cond.in.some(eq));
  if (cond.notIn !== undefined) checks.push(!cond.notIn.some(eq));
  if (cond.lt !== undefined) checks.push(value !== null && compare(kind, value, cond.lt) < 0);
  if (cond.lte !== undefined) checks.push(value !== null && compare(kind, value, cond.lte) <= 0);
  if (cond.gt !== undefined) checks.push(value !== null && compare(kind, value, cond.gt) > 0);
  if (cond.gte !== undefined) checks.push(value !== null && compare(kind, value, cond.gte) >= 0);
  if (cond.isNull !== undefined) checks.push((value === null) === cond.isNull);
  if (cond.like !== undefined) checks.push(value !== null && likeMatches(String(value), cond.like));
  if (cond.ilike !== undefined) {
    checks.push(value !== null && likeMatches(asciiLower(String(value)), asciiLower(cond.ilike)));
  }
  return checks.every(Boolean);
}

/** Whether `row` satisfies `filter`: two-valued, `ne`/`notIn`/`not` exact complements. */
export function holds(row: Row, filter: Filter): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (value === undefined) return true;
    if (key === 'and') return (value as Filter[]).every((f) => holds(row, f));
    if (key === 'or') return (value as Filter[]).some((f) => holds(row, f));
    if (key === 'not') return !holds(row, value as Filter);
    return columnHolds(KIND.get(key)!, row[key], value as ColumnFilter);
  });
}

/** Sorts as Postgres does: NULLS LAST for ASC and FIRST for DESC unless told, then by id. */
export function sortRows(rows: Row[], orderBy: Order[] = []): Row[] {
  const terms = [...orderBy];
  if (!terms.some((o) => o.column === 'id')) terms.push({ column: 'id', direction: 'ASC' });
  return rows.slice().sort((a, b) => {
    for (const { column, direction, nulls } of terms) {
      const x = a[column];
      const y = b[column];
      const nullsFirst = nulls ? nulls === 'FIRST' : direction === 'DESC';
      let c: number;
      if (x === null && y === null) c = 0;
      else if (x === null) c = nullsFirst ? -1 : 1;
      else if (y === null) c = nullsFirst ? 1 : -1;
      else c = compare(KIND.get(column)!, x, y) * (direction === 'DESC' ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export function evaluate(
  rows: Row[],
  {
    where,
    orderBy,
    limit,
    offset = 0,
  }: { where?: Filter; orderBy?: Order[]; limit: number; offset?: number },
): Row[] {
  const kept = where ? rows.filter((row) => holds(row, where)) : rows;
  return sortRows(kept, orderBy).slice(offset, offset + limit);
}
