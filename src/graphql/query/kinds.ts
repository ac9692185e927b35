/**
 * What each column kind allows and how its values are cast in SQL: the capability table the
 * filter, order and aggregate compilers consult, so that "like on an int" or "sum of text" is
 * refused in one place.
 */
import { MartqlError } from '../../errors';
import type { ColumnKind, ColumnOperator } from './types';

export interface KindInfo {
  /** The Postgres type a bound value is cast to (`$1::date`); arrays use `${cast}[]`. */
  cast: string;
  /** Has a total order: lt/lte/gt/gte, min/max, ORDER BY. */
  ordered: boolean;
  /** A number: sum/avg. */
  numeric: boolean;
  /** Has equality: eq/ne/in/notIn, GROUP BY, keys. */
  equality: boolean;
  /** like/ilike. */
  pattern: boolean;
  /** date_trunc applies. */
  temporal: boolean;
}

const KINDS: Record<ColumnKind, KindInfo> = {
  int: { cast: 'int', ordered: true, numeric: true, equality: true, pattern: false, temporal: false },
  bigint: { cast: 'int8', ordered: true, numeric: true, equality: true, pattern: false, temporal: false },
  float: { cast: 'float8', ordered: true, numeric: true, equality: true, pattern: false, temporal: false },
  decimal: { cast: 'numeric', ordered: true, numeric: true, equality: true, pattern: false, temporal: false },
  text: { cast: 'text', ordered: true, numeric: false, equality: true, pattern: true, temporal: false },
  // Booleans compare for equality; ordering false < true is allowed in ORDER BY but not as a filter.
  boolean: {
    cast: 'boolean',
    ordered: false,
    numeric: false,
    equality: true,
    pattern: false,
    temporal: false,
  },
  date: { cast: 'date', ordered: true, numeric: false, equality: true, pattern: false, temporal: true },
  timestamp: {
    cast: 'timestamp',
    ordered: true,
    numeric: false,
    equality: true,
    pattern: false,
    temporal: true,
  },
  timestamptz: {
    cast: 'timestamptz',
    ordered: true,
    numeric: false,
    equality: true,
    pattern: false,
    temporal: true,
  },
  // A `json` column has no equality operator in Postgres (jsonb has); only isNull is offered.
  json: { cast: 'jsonb', ordered: false, numeric: false, equality: false, pattern: false, temporal: false },
};

export function kindInfo(kind: ColumnKind): KindInfo {
  const info = KINDS[kind];
  if (!info) throw new MartqlError('INTERNAL', `unknown column kind '${String(kind)}' in a model`);
  return info;
}

/** Why `op` does not apply to a column of `kind`, or undefined when it does. */
export function operatorRefusal(op: ColumnOperator, kind: ColumnKind): string | undefined {
  const info = kindInfo(kind);
  switch (op) {
    case 'isNull':
      return undefined;
    case 'eq':
    case 'ne':
    case 'in':
    case 'notIn':
      return info.equality ? undefined : `${op} does not apply to ${kind} columns (only isNull does)`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return info.ordered ? undefined : `${op} does not apply to ${kind} columns`;
    case 'like':
    case 'ilike':
      return info.pattern ? undefined : `${op} applies only to text columns`;
    default:
      return unreachable(op);
  }
}

/** Can ORDER BY this kind (booleans can; json cannot). */
export function orderable(kind: ColumnKind): boolean {
  return kind !== 'json';
}

export function unreachable(value: never): never {
  throw new MartqlError('INTERNAL', `unreachable case: ${JSON.stringify(value)}`);
}
