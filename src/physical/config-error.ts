/**
 * The error a malformed physical-design config (`indexes`, `partition_by`, `analyze`) raises: it
 * names the model and the config key, and is raised before the build touches anything.
 */
import { MartqlError } from '../errors';
import type { RelationName } from '../materialize/types';

export function physicalConfigError(model: RelationName, message: string, hint?: string): MartqlError {
  return new MartqlError('PROJECT_CONFIG', `${model.schema}.${model.identifier}: ${message}`, {
    hint,
    data: { model: `${model.schema}.${model.identifier}` },
  });
}
