/**
 * Partitions as plain data, computed without a database: the name and the bound clause of each
 * partition a set of values needs, and the SQL that finds those values in a relation.
 *
 * Range partitions are aligned to whole days, months or years of the column's wall-clock value
 * (for timestamptz, in UTC: the same boundaries microbatch batches use, so a day batch is exactly
 * one day partition whatever the session's TimeZone). The database reports each needed partition's
 * lower bound as 'YYYY-MM-DD HH24:MI:SS' text and everything else is derived here. NULLs go to a
 * DEFAULT partition (range) or a partition FOR VALUES IN (NULL) (list).
 *
 * Names are `<identifier>__p_<suffix>`: 20240115, 202401 or 2024 for ranges; for list values a
 * readable prefix of the value and a short hash of it (so 'EU' and 'eu' get different partitions).
 */
import { createHash } from 'node:crypto';
import { addBatches } from '../materialize/incremental/batches';
import { fitIdentifier } from '../materialize/names';
import { quoteIdent, quoteLiteral } from '../warehouse';
import type { Granularity, ListValue, PartitionSpec } from './partition-config';

export type RangeColumnKind = 'date' | 'timestamp' | 'timestamptz';

export interface PartitionBound {
  /** The partition's name once in place. */
  name: string;
  /** `for values from (...) to (...)`, `for values in (...)` or `default`. */
  clause: string;
  /** Range partitions: the covered interval, as UTC wall-clock instants. */
  range?: { from: Date; to: Date };
}

/** The kind of a column range partitioning can use, from its `format_type` text; null otherwise. */
export function rangeColumnKind(dataType: string): RangeColumnKind | null {
  const t = dataType.toLowerCase().trim();
  if (t === 'date') return 'date';
  if (/^timestamp(\(\d+\))? with time zone$/.test(t) || /^timestamptz(\(\d+\))?$/.test(t))
    return 'timestamptz';
  if (/^timestamp(\(\d+\))?( without time zone)?$/.test(t)) return 'timestamp';
  return null;
}

export function partitionName(identifier: string, suffix: string): string {
  return fitIdentifier(`${identifier}__p_${suffix}`);
}

/** The column's value as a timestamp without zone, in the wall clock partitions are aligned to. */
export function wallClockSql(column: string, kind: RangeColumnKind): string {
  const col = quoteIdent(column);
  switch (kind) {
    case 'timestamptz':
      return `(${col} at time zone 'UTC')`;
    case 'timestamp':
      return col;
    case 'date':
      return `cast(${col} as timestamp)`;
    default: {
      const never: never = kind;
      throw new Error(`unknown range column kind ${String(never)}`);
    }
  }
}

/**
 * One row per partition the rows of `source` need: `lo`, the lower bound as wall-clock text (range),
 * or `v`, the value as text (list); a NULL `lo`/`v` when some row's key is NULL.
 */
export function neededBoundsSql(spec: PartitionSpec, source: string, kind: RangeColumnKind | null): string {
  const col = quoteIdent(spec.field);
  if (spec.kind === 'range') {
    const wall = wallClockSql(spec.field, kind!);
    return (
      `select distinct case when ${col} is null then null ` +
      `else to_char(date_trunc('${spec.granularity}', ${wall}), 'YYYY-MM-DD HH24:MI:SS') end as lo from ${source}`
    );
  }
  return `select distinct cast(${col} as text) as v from ${source}`;
}

function parseWall(text: string): Date {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) throw new Error(`unexpected partition bound '${text}'`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date;
}

function wallText(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The bound literal of an instant for a column kind (UTC offset spelled out for timestamptz). */
export function boundLiteral(date: Date, kind: RangeColumnKind): string {
  const text = wallText(date);
  switch (kind) {
    case 'date':
      return quoteLiteral(text.slice(0, 10));
    case 'timestamp':
      return quoteLiteral(text);
    case 'timestamptz':
      return quoteLiteral(`${text}+00`);
    default: {
      const never: never = kind;
      throw new Error(`unknown range column kind ${String(never)}`);
    }
  }
}

const SUFFIX_LENGTH: Record<Granularity, number> = { day: 8, month: 6, year: 4 };

/** The range partition starting at `from` (aligned to the granularity). */
export function rangeBound(
  identifier: string,
  granularity: Granularity,
  kind: RangeColumnKind,
  from: Date,
): PartitionBound {
  const to = addBatches(from, granularity, 1);
  const digits = wallText(from).slice(0, 10).replace(/-/g, '');
  return {
    name: partitionName(identifier, digits.slice(0, SUFFIX_LENGTH[granularity])),
    clause: `for values from (${boundLiteral(from, kind)}) to (${boundLiteral(to, kind)})`,
    range: { from, to },
  };
}

function valueSuffix(values: (string | null)[]): string {
  const first = values[0];
  if (values.length === 1 && first === null) return 'null';
  const readable = String(first)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 24);
  const hash = createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 6);
  return readable === '' ? hash : `${readable}_${hash}`;
}

function valueList(values: (string | null)[]): string {
  return values.map((v) => (v === null ? 'null' : quoteLiteral(v))).join(', ');
}

function listBound(identifier: string, values: (string | null)[]): PartitionBound {
  return {
    name: partitionName(identifier, valueSuffix(values)),
    clause: `for values in (${valueList(values)})`,
  };
}

export function defaultBound(identifier: string): PartitionBound {
  return { name: partitionName(identifier, 'default'), clause: 'default' };
}

/** The partitions `neededBoundsSql`'s rows call for (declared list groups ignore the data). */
export function boundsFor(
  identifier: string,
  spec: PartitionSpec,
  kind: RangeColumnKind | null,
  rows: { lo?: string | null; v?: string | null }[],
): PartitionBound[] {
  if (spec.kind === 'range') {
    const bounds = rows
      .filter((r) => r.lo !== null && r.lo !== undefined)
      .map((r) => rangeBound(identifier, spec.granularity, kind!, parseWall(r.lo as string)))
      .sort((a, b) => a.range!.from.getTime() - b.range!.from.getTime());
    return rows.some((r) => r.lo === null) ? [...bounds, defaultBound(identifier)] : bounds;
  }
  if (spec.values) return declaredListBounds(identifier, spec.values);
  return rows
    .map((r) => (r.v === undefined ? null : r.v))
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map((v) => listBound(identifier, [v]));
}

/** Declared list groups, each a partition, and a default partition for every other value. */
export function declaredListBounds(identifier: string, groups: ListValue[][]): PartitionBound[] {
  return [
    ...groups.map((g) =>
      listBound(
        identifier,
        g.map((v) => (v === null ? null : String(v))),
      ),
    ),
    defaultBound(identifier),
  ];
}
