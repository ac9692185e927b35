/**
 * Seeded random requests for the property tests: filter trees over the fixture's columns, with
 * values drawn mostly from the data itself (so equalities hit) and operators valid for each kind.
 */
import type { ColumnFilter, ColumnKind, Filter, Order } from '../../../src/graphql/query';
import { COLUMNS, NAMES, int, pick, type Rng, type Row } from './fixture';

const EQUALITY = ['eq', 'ne', 'in', 'notIn'] as const;
const ORDERED = ['lt', 'lte', 'gt', 'gte'] as const;

function operators(kind: ColumnKind): (keyof ColumnFilter)[] {
  if (kind === 'json') return ['isNull'];
  if (kind === 'boolean') return [...EQUALITY, 'isNull'];
  if (kind === 'text') return [...EQUALITY, ...ORDERED, 'isNull', 'like', 'ilike'];
  return [...EQUALITY, ...ORDERED, 'isNull'];
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

function randomValue(rng: Rng, kind: ColumnKind, rows: Row[], name: string): unknown {
  const seen = rows.map((r) => r[name]).filter((v) => v !== null);
  const fromData = rng() < 0.7 ? pick(rng, seen) : undefined;
  switch (kind) {
    case 'int':
      return fromData ?? int(rng, -25, 25);
    case 'bigint':
      return fromData !== undefined ? (rng() < 0.5 ? String(fromData) : fromData) : int(rng, -6e12, 6e12);
    case 'float':
      return fromData ?? int(rng, -12000, 12000) / 100;
    case 'decimal':
      return fromData !== undefined
        ? rng() < 0.5
          ? fromData
          : Number(fromData)
        : (int(rng, -1e5, 1e5) / 100).toFixed(2);
    case 'text':
      return fromData ?? pick(rng, [...NAMES, 'b', 'zeta', 'A', '']);
    case 'boolean':
      return rng() < 0.5;
    case 'date':
      return (
        fromData ??
        `2024-${String(int(rng, 1, 12)).padStart(2, '0')}-${String(int(rng, 1, 28)).padStart(2, '0')}`
      );
    case 'timestamp':
      return String(fromData ?? '2024-06-01 12:00:00').replace(' ', 'T');
    case 'timestamptz': {
      const instant = fromData
        ? new Date(
            String(fromData)
              .replace(' ', 'T')
              .replace(/([+-]\d{2})$/, '$1:00'),
          )
        : new Date(Date.UTC(2024, int(rng, 0, 11), int(rng, 1, 28), int(rng, 0, 23)));
      return rng() < 0.5 ? instant : instant.toISOString();
    }
    case 'json':
      throw new Error('no json values');
  }
}

function randomPattern(rng: Rng, rows: Row[]): string {
  const value = String(randomValue(rng, 'text', rows, 'name'));
  const cut = int(rng, 0, value.length);
  switch (int(rng, 0, 3)) {
    case 0:
      return `${escapeLike(value.slice(0, cut))}%`;
    case 1:
      return `%${escapeLike(value.slice(cut))}`;
    case 2:
      return `%${escapeLike(value.slice(cut, cut + 2))}%`;
    default:
      return [...value].map((ch) => (rng() < 0.3 ? '_' : escapeLike(ch))).join('');
  }
}

function columnFilter(rng: Rng, kind: ColumnKind, rows: Row[], name: string): ColumnFilter {
  const out: Record<string, unknown> = {};
  const count = rng() < 0.8 ? 1 : 2;
  for (let i = 0; i < count; i++) {
    const op = pick(rng, operators(kind));
    if (op === 'isNull') out.isNull = rng() < 0.5;
    else if (op === 'in' || op === 'notIn') {
      out[op] = Array.from({ length: int(rng, 1, 4) }, () => randomValue(rng, kind, rows, name));
    } else if (op === 'like' || op === 'ilike') out[op] = randomPattern(rng, rows);
    else out[op] = randomValue(rng, kind, rows, name);
  }
  return out as ColumnFilter;
}

export function randomFilter(rng: Rng, rows: Row[], depth = 0): Filter {
  const f: Filter = {};
  const columns = int(rng, depth === 0 ? 0 : 1, 2);
  for (let i = 0; i < columns; i++) {
    const col = pick(rng, COLUMNS);
    f[col.name] = columnFilter(rng, col.kind, rows, col.name);
  }
  if (depth < 4) {
    if (rng() < 0.3) f.and = Array.from({ length: int(rng, 0, 3) }, () => randomFilter(rng, rows, depth + 1));
    if (rng() < 0.35) f.or = Array.from({ length: int(rng, 0, 3) }, () => randomFilter(rng, rows, depth + 1));
    if (rng() < 0.25) f.not = randomFilter(rng, rows, depth + 1);
  }
  return f;
}

export function randomOrder(rng: Rng): Order[] {
  const names = COLUMNS.filter((c) => c.kind !== 'json').map((c) => c.name);
  const out: Order[] = [];
  for (let i = int(rng, 0, 3); i > 0; i--) {
    const column = pick(rng, names);
    if (out.some((o) => o.column === column)) continue;
    const order: Order = { column, direction: rng() < 0.5 ? 'ASC' : 'DESC' };
    if (rng() < 0.5) order.nulls = rng() < 0.5 ? 'FIRST' : 'LAST';
    out.push(order);
  }
  return out;
}
