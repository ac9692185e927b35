/**
 * The public API of the physical design of marts: declared indexes, declarative partitioning and
 * planner statistics, applied by the materializations; and the missing-index check `serve` runs.
 *
 * Config keys (on table and incremental models, TypeScript models included):
 * - `indexes`: [{columns, unique, type}] (`index-config.ts`);
 * - `partition_by`: {field, granularity} or {field[, values]} (`partition-config.ts`);
 * - `analyze`: false to skip ANALYZE after builds (`statistics.ts`).
 */
export { readPhysicalConfig, type PhysicalConfig } from './physical-config';
export { readIndexes, indexName, INDEX_TYPES, type IndexSpec, type IndexType } from './index-config';
export { readPartitionBy, GRANULARITIES, type PartitionSpec, type Granularity } from './partition-config';
export { DECLARED_INDEX_COMMENT, childIndexName } from './indexes';
export { partitionName, type PartitionBound } from './partition-bounds';
export { partitionsOf } from './partitions';
export { replacePartition, batchIsOnePartition, type ReplacePartitionArgs } from './replace-partition';
export { fillIntermediate, finishIntermediate, nameAfterSwap, type PendingNames } from './rebuild';
export { prepareIncrementalWrite, afterIncrementalWrite, type IncrementalTarget } from './incremental';
export {
  missingIndexWarnings,
  describeMissingIndex,
  type IndexableModel,
  type MissingIndex,
} from './missing-indexes';
