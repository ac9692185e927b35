/**
 * The public API of freshness: deciding whether a model is stale, planning the refresh of the
 * stale slice of its DAG, and running it once however many requests ask. Everything outside
 * `freshness/` imports from here.
 */
export {
  canonicalTimestamp,
  nodeKind,
  refreshKeyOf,
  sourceTracking,
  sourceVersion,
  storedVersion,
  upstreamVersionsFor,
  versionInputs,
  VersionBook,
  withBuilt,
  type BuiltFacts,
  type NodeKind,
  type Snapshot,
  type SourceReading,
  type SourceTracking,
} from './versions';
export { readSnapshot, probeSql } from './snapshot';
export { createSnapshotReader, type SnapshotReader, type SnapshotReaderOptions } from './snapshot-reader';
export {
  forcePlan,
  maxStalenessOf,
  planInputs,
  planRefresh,
  type PlanOptions,
  type RefreshPlan,
  type StaleNode,
  type StaleReason,
  type ToleratedNode,
} from './plan';
export { describePlan, describeReason } from './describe';
export { SingleFlight } from './single-flight';
export {
  createRefresher,
  noRefresh,
  refreshReportFrom,
  type RefreshedNode,
  type RefreshKind,
  type RefreshOptions,
  type Refresher,
  type RefresherOptions,
  type RefreshReport,
} from './refresher';
export {
  CACHE_MODES,
  cacheModeFor,
  cacheModeNeedsAdmin,
  decide,
  withinBudget,
  type CacheDecision,
  type CacheMode,
  type FreshnessLabel,
} from './cache-mode';
export { createFreshness, type Freshness, type FreshnessOptions } from './freshness';
