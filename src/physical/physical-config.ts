/**
 * A model's physical design, read once from its config: the indexes it declares, how it is
 * partitioned, and whether builds refresh its planner statistics (`analyze`, on by default).
 *
 * The cross-key rule lives here: Postgres enforces a unique index on a partitioned table partition
 * by partition, so the index must include the partition key; saying so up front beats the
 * database's "unique constraint on partitioned table must include all partitioning columns" after
 * the rows were computed.
 */
import type { RelationName } from '../materialize/types';
import type { NodeConfig } from '../project/types';
import { physicalConfigError } from './config-error';
import { readIndexes, type IndexSpec } from './index-config';
import { readPartitionBy, type PartitionSpec } from './partition-config';

export interface PhysicalConfig {
  indexes: IndexSpec[];
  partition: PartitionSpec | null;
  /** ANALYZE after a build that changed the relation. */
  analyze: boolean;
}

export function readPhysicalConfig(config: NodeConfig, model: RelationName): PhysicalConfig {
  const indexes = readIndexes(config, model);
  const partition = readPartitionBy(config, model);
  if (config.analyze !== undefined && typeof config.analyze !== 'boolean') {
    throw physicalConfigError(model, `analyze must be true or false, not ${JSON.stringify(config.analyze)}`);
  }
  if (partition) {
    for (const index of indexes) {
      if (index.unique && !index.columns.some((c) => c.name === partition.field)) {
        throw physicalConfigError(
          model,
          `the unique index on (${index.columns.map((c) => c.name).join(', ')}) must include the partition key ` +
            `'${partition.field}': Postgres checks uniqueness within each partition only`,
          `add '${partition.field}' to the index's columns, or drop unique: true`,
        );
      }
    }
  }
  return { indexes, partition, analyze: config.analyze !== false };
}
