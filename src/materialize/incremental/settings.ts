/**
 * The incremental configs of a model, read and validated once (a typo in a strategy name must fail
 * before anything runs, naming the config and the accepted values).
 *
 * Defaults are dbt-postgres's: `delete+insert` when a `unique_key` is set, else `append`;
 * `on_schema_change: ignore`; microbatch `lookback: 1`.
 */
import { MartqlError } from '../../errors';
import type { NodeConfig } from '../../project/types';
import type { RelationName } from '../types';

export const STRATEGIES = ['append', 'merge', 'delete+insert', 'microbatch'] as const;
export type IncrementalStrategy = (typeof STRATEGIES)[number];

export const SCHEMA_CHANGE_MODES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;
export type OnSchemaChange = (typeof SCHEMA_CHANGE_MODES)[number];

export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];

export interface MicrobatchSettings {
  eventTime: string;
  batchSize: BatchSize;
  lookback: number;
  /** Where the first build (and a full refresh) starts; required unless --event-time-start is given. */
  begin?: Date;
}

export interface IncrementalSettings {
  strategy: IncrementalStrategy;
  /** Column names; empty when no `unique_key` is set. */
  uniqueKey: string[];
  /** MartQL's `null_safe_unique_key`: NULL key values match each other. */
  nullSafe: boolean;
  onSchemaChange: OnSchemaChange;
  /** `incremental_predicates`: SQL conditions ANDed to the match (aliases DBT_INTERNAL_DEST / DBT_INTERNAL_SOURCE). */
  predicates: string[];
  mergeUpdateColumns?: string[];
  mergeExcludeColumns: string[];
  /** `full_refresh` config: true always rebuilds, false protects from --full-refresh, undefined follows the flag. */
  fullRefresh?: boolean;
  microbatch?: MicrobatchSettings;
}

function configError(model: RelationName, message: string, hint?: string): MartqlError {
  return new MartqlError('PROJECT_CONFIG', `${model.schema}.${model.identifier}: ${message}`, { hint });
}

function oneOf<T extends string>(
  model: RelationName,
  key: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw configError(model, `${key} '${String(value)}' is not one of ${allowed.join(', ')}`);
}

function stringList(model: RelationName, key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  // `unique_key: "a, b"` is accepted as the list [a, b].
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((s) => s.trim());
  throw configError(model, `${key} must be a column name or a list of column names`);
}

/** Parses `begin` ('2024-01-01', '2024-01-01 00:00:00', ISO); a zone-less value is UTC, as in dbt. */
export function parseTimestamp(model: RelationName, key: string, value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const text = value.trim().replace(' ', 'T');
    const hasZone = /(Z|[+-]\d\d(:?\d\d)?)$/.test(text) && text.includes('T');
    const date = new Date(hasZone ? text : text.includes('T') ? `${text}Z` : `${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw configError(
    model,
    `${key} '${String(value)}' is not a date or timestamp`,
    "write it as '2024-01-01' or '2024-01-01 00:00:00'",
  );
}

export function readIncrementalSettings(config: NodeConfig, model: RelationName): IncrementalSettings {
  const uniqueKey = stringList(model, 'unique_key', config.unique_key) ?? [];
  const strategy = oneOf(
    model,
    'incremental_strategy',
    config.incremental_strategy,
    STRATEGIES,
    uniqueKey.length > 0 ? 'delete+insert' : 'append',
  );
  const predicates = config.incremental_predicates;
  const settings: IncrementalSettings = {
    strategy,
    uniqueKey,
    nullSafe: config.null_safe_unique_key === true,
    onSchemaChange: oneOf(model, 'on_schema_change', config.on_schema_change, SCHEMA_CHANGE_MODES, 'ignore'),
    predicates:
      typeof predicates === 'string' ? [predicates] : Array.isArray(predicates) ? predicates.map(String) : [],
    mergeUpdateColumns: stringList(model, 'merge_update_columns', config.merge_update_columns),
    mergeExcludeColumns: stringList(model, 'merge_exclude_columns', config.merge_exclude_columns) ?? [],
    fullRefresh: typeof config.full_refresh === 'boolean' ? config.full_refresh : undefined,
  };
  if (strategy === 'microbatch') {
    if (typeof config.event_time !== 'string' || config.event_time === '') {
      throw configError(
        model,
        "the microbatch strategy needs `event_time` (the column that holds each row's time)",
      );
    }
    const lookback = config.lookback ?? 1;
    if (typeof lookback !== 'number' || !Number.isInteger(lookback) || lookback < 0) {
      throw configError(model, `lookback must be a whole number >= 0, not ${String(lookback)}`);
    }
    if (config.batch_size === undefined) {
      throw configError(model, `the microbatch strategy needs \`batch_size\` (${BATCH_SIZES.join(', ')})`);
    }
    settings.microbatch = {
      eventTime: config.event_time,
      batchSize: oneOf(model, 'batch_size', config.batch_size, BATCH_SIZES, 'day'),
      lookback,
      begin: parseTimestamp(model, 'begin', config.begin),
    };
  }
  return settings;
}
