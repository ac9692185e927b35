/**
 * The catalogue queries: `models` (every model with its columns, lineage and last build),
 * `runHistory(model, limit)` and `modelPerformance(days)`, read from the manifest and the state
 * store. Arguments are bounded here, since they size the queries.
 */
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import type { ManifestNode } from '../../graph/types';
import type { RunHistoryRow } from '../../state';
import type { ApiContext } from './context';

const MAX_HISTORY = 1000;
const MAX_DAYS = 3650;

function badInput(argumentPath: string, message: string): GraphQLError {
  return new GraphQLError(`${argumentPath}: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', argumentPath },
  });
}

function boundedInt(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(path, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

export const modelsResolver: GraphQLFieldResolver<unknown, ApiContext> = async (_s, _a, ctx) => {
  const { manifest, models } = ctx.services;
  const exposed = new Map(models.map((m) => [m.uniqueId, m]));
  const nodes = [...manifest.nodes.values()]
    .filter((n) => n.resourceType === 'model')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const states = await ctx.loaders.modelState.loadMany(nodes.map((n) => n.uniqueId));
  return nodes.map((node: ManifestNode, i) => {
    const model = exposed.get(node.uniqueId);
    const state = states[i];
    const fields = new Map(model?.columns.map((c) => [c.name, c.field]) ?? []);
    return {
      name: node.name,
      uniqueId: node.uniqueId,
      description: node.description,
      materialization: String(node.config.materialized),
      exposed: model !== undefined,
      queryField: model?.fieldName ?? null,
      columns: node.columns.map((c) => ({
        name: c.name,
        field: fields.get(c.name) ?? null,
        dataType: c.dataType ?? null,
        description: c.description,
      })),
      upstream: manifest.parents.get(node.uniqueId) ?? [],
      downstream: manifest.children.get(node.uniqueId) ?? [],
      tags: node.config.tags,
      lastBuiltAt: state instanceof Error ? null : (state?.builtAt ?? null),
    };
  });
};

/** A model name or unique id to its unique id (names of the root package win). */
function modelId(ctx: ApiContext, model: string): string {
  const { manifest } = ctx.services;
  if (manifest.nodes.has(model)) return model;
  const named = [...manifest.nodes.values()].filter((n) => n.name === model && n.resourceType !== 'test');
  const chosen = named.find((n) => n.package === manifest.rootPackage) ?? named[0];
  if (!chosen) throw badInput('model', `no model named ${JSON.stringify(model.slice(0, 200))}`);
  return chosen.uniqueId;
}

export const runHistoryResolver: GraphQLFieldResolver<
  unknown,
  ApiContext,
  { model?: string | null; limit: number }
> = async (_s, args, ctx) => {
  const limit = boundedInt(args.limit, 1, MAX_HISTORY, 'limit');
  const uniqueId = args.model ? modelId(ctx, args.model) : undefined;
  const rows = await ctx.services.store.runHistory({ ...(uniqueId ? { uniqueId } : {}), limit });
  return rows.map((r: RunHistoryRow) => ({
    invocationId: r.invocationId,
    model: r.uniqueId,
    resourceType: r.resourceType,
    kind: r.kind,
    status: r.status,
    trigger: r.trigger,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    durationMs: r.durationMs,
    rowsAffected: r.rowsAffected,
    error: r.error?.message ?? null,
  }));
};

export const modelPerformanceResolver: GraphQLFieldResolver<unknown, ApiContext, { days: number }> = async (
  _s,
  args,
  ctx,
) => {
  const days = boundedInt(args.days, 1, MAX_DAYS, 'days');
  const rows = await ctx.services.store.modelPerformance({ days });
  return rows.map((r) => ({ ...r, model: r.uniqueId }));
};
