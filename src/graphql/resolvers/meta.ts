/**
 * `ModelMeta`: what happened to answer a model query, from the freshness outcome, the time the
 * read took, and the model's state and test results (through the request's loaders, read after
 * any refresh so `lastBuiltAt` is the build the rows came from).
 */
import type { ExposedModel } from '../schema';
import type { ApiContext } from './context';
import type { FreshnessOutcome } from './refresh';

export interface ModelMetaRecord {
  model: string;
  relation: string;
  materialization: string;
  freshness: FreshnessOutcome['freshness'];
  refresh: {
    kind: FreshnessOutcome['refresh']['kind'];
    durationMs: number;
    rowsAffected: number;
    refreshedModels: string[];
    failedModels: string[];
  };
  lastBuiltAt: string | null;
  queryMs: number;
  cached: boolean;
  tests: { passed: number; failed: number; warned: number; lastRunAt: string | null };
}

export async function modelMeta(
  ctx: ApiContext,
  model: ExposedModel,
  outcome: FreshnessOutcome,
  queryMs: number,
  cached = false,
): Promise<ModelMetaRecord> {
  const [state, tests] = await Promise.all([
    ctx.loaders.modelState.load(model.uniqueId),
    ctx.loaders.testSummary.load(model.uniqueId),
  ]);
  const { relation } = model.query;
  return {
    model: model.uniqueId,
    relation: `${relation.schema}.${relation.identifier}`,
    materialization: String(model.node.config.materialized),
    freshness: outcome.freshness,
    refresh: {
      kind: outcome.refresh.kind,
      durationMs: outcome.refresh.durationMs,
      rowsAffected: outcome.refresh.rowsAffected,
      refreshedModels: outcome.refresh.refreshedModels,
      failedModels: outcome.refresh.failedModels ?? [],
    },
    lastBuiltAt: state?.builtAt ?? null,
    queryMs,
    cached,
    tests: {
      passed: tests?.passed ?? 0,
      failed: tests?.failed ?? 0,
      warned: tests?.warned ?? 0,
      lastRunAt: tests?.lastRunAt ?? null,
    },
  };
}
