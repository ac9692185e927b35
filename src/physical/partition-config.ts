/**
 * The `partition_by` config: which declarative partitioning a table or incremental model gets.
 *
 *     partition_by={'field': 'converted_at', 'granularity': 'month'}   -- PARTITION BY RANGE
 *     partition_by={'field': 'attribution_model'}                       -- PARTITION BY LIST, a partition per value
 *     partition_by={'field': 'region', 'values': ['eu', 'us', ['apac', 'latam']]}
 *                                                                       -- LIST: these partitions plus a default one
 *
 * The key names follow dbt-bigquery's (`field`, `granularity`, `data_type`), which is where dbt
 * users know `partition_by` from; `data_type` is accepted and ignored because Postgres knows the
 * column's type. Range partitions are whole days, months or years (UTC for timestamptz columns, as
 * microbatch batches are); partitions are created for the values the rows being written hold, so a
 * table never carries empty partitions for the future.
 */
import type { RelationName } from '../materialize/types';
import type { NodeConfig } from '../project/types';
import { physicalConfigError } from './config-error';

export const GRANULARITIES = ['day', 'month', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** A value a LIST partition holds (compared as text, coerced by Postgres to the column's type). */
export type ListValue = string | number | boolean | null;

export type PartitionSpec =
  | { kind: 'range'; field: string; granularity: Granularity }
  /** `values` absent: one partition per value present in the data; else these groups and a default partition. */
  | { kind: 'list'; field: string; values?: ListValue[][] };

const PARTITION_KEYS = new Set(['field', 'granularity', 'values', 'data_type']);

function listValue(model: RelationName, raw: unknown): ListValue {
  if (raw === null || ['string', 'number', 'boolean'].includes(typeof raw)) return raw as ListValue;
  throw physicalConfigError(model, `partition_by.values: ${JSON.stringify(raw)} is not a single value`);
}

export function readPartitionBy(config: NodeConfig, model: RelationName): PartitionSpec | null {
  const raw = config.partition_by;
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw physicalConfigError(
      model,
      'partition_by must be a mapping with `field`',
      "write partition_by={'field': 'created_at', 'granularity': 'month'}",
    );
  }
  const entry = raw as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((k) => !PARTITION_KEYS.has(k));
  if (unknown.length > 0) {
    throw physicalConfigError(
      model,
      `partition_by has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}`,
      'partition_by takes field, granularity (day, month, year) or values',
    );
  }
  if (typeof entry.field !== 'string' || entry.field.trim() === '') {
    throw physicalConfigError(model, 'partition_by needs `field`: the column to partition on');
  }
  const field = entry.field.trim();
  if (entry.granularity !== undefined && entry.values !== undefined) {
    throw physicalConfigError(
      model,
      'partition_by takes either granularity (range partitions) or values (list partitions), not both',
    );
  }
  if (entry.granularity !== undefined) {
    const granularity = typeof entry.granularity === 'string' ? entry.granularity.toLowerCase() : '';
    if (!(GRANULARITIES as readonly string[]).includes(granularity)) {
      throw physicalConfigError(
        model,
        `partition_by.granularity '${String(entry.granularity)}' is not one of ${GRANULARITIES.join(', ')}`,
      );
    }
    return { kind: 'range', field, granularity: granularity as Granularity };
  }
  if (entry.values === undefined) return { kind: 'list', field };
  if (!Array.isArray(entry.values) || entry.values.length === 0) {
    throw physicalConfigError(model, 'partition_by.values must be a non-empty list');
  }
  const groups = entry.values.map((v) =>
    Array.isArray(v) ? v.map((x) => listValue(model, x)) : [listValue(model, v)],
  );
  const seen = new Set<string>();
  for (const value of groups.flat()) {
    const key = JSON.stringify(value === null ? null : String(value));
    if (seen.has(key)) {
      throw physicalConfigError(model, `partition_by.values lists ${JSON.stringify(value)} twice`);
    }
    seen.add(key);
  }
  if (groups.some((g) => g.length === 0)) {
    throw physicalConfigError(model, 'partition_by.values holds an empty group');
  }
  return { kind: 'list', field, values: groups };
}
