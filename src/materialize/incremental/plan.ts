/**
 * Decide, then do: whether an incremental model is built from scratch or updated in place is a pure
 * function of what exists and of the flags, so it can be printed and tested without a database.
 *
 * As in dbt, `is_incremental()` is true only when the relation exists as a table (partitioned or
 * not) and no full refresh applies; `full_refresh: false` in the config protects the table from
 * `--full-refresh`, `full_refresh: true` rebuilds it on every run.
 */
import type { RelationType } from '../../warehouse';

export type FullBuildReason = 'first_build' | 'not_a_table' | 'full_refresh_flag' | 'full_refresh_config';

export type IncrementalPlan = { mode: 'full'; reason: FullBuildReason } | { mode: 'incremental' };

export function planIncremental(args: {
  existing: RelationType | null;
  fullRefreshFlag: boolean;
  fullRefreshConfig?: boolean;
}): IncrementalPlan {
  if (args.fullRefreshConfig === true) return { mode: 'full', reason: 'full_refresh_config' };
  if (args.existing === null) return { mode: 'full', reason: 'first_build' };
  if (args.existing !== 'table' && args.existing !== 'partitioned_table')
    return { mode: 'full', reason: 'not_a_table' };
  if (args.fullRefreshFlag && args.fullRefreshConfig !== false)
    return { mode: 'full', reason: 'full_refresh_flag' };
  return { mode: 'incremental' };
}
