/**
 * The catalogue queries: `models`, `model(name)` (each model with its columns, lineage, last
 * build and, when selected, its live freshness), `runHistory(model, limit)` and
 * `modelPerformance(days)`, read from the manifest and the state store. Arguments are bounded
 * here, since they size the queries. Argument and return types are named explicitly: esbuild, which
 * compiles this at runtime, emits no decorator metadata.
 */
import 'reflect-metadata';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { describePlan } from '../../freshness';
import type { ManifestNode } from '../../graph/types';
import type { RunHistoryRow } from '../../state';
import { ModelBuildStats, ModelFreshness, ModelInfo, RunRecord } from '../schema/fixed/catalog';
import { boundedInt, badInput } from './bounds';
import type { ApiContext } from './context';

const MAX_HISTORY = 1000;
const MAX_DAYS = 3650;

/** A model name or unique id to its node (names of the root package win); undefined when none. */
export function findModel(ctx: ApiContext, model: string): ManifestNode | undefined {
  const { manifest } = ctx.services;
  const byId = manifest.nodes.get(model);
  if (byId) return byId;
  const named = [...manifest.nodes.values()].filter((n) => n.name === model && n.resourceType !== 'test');
  return named.find((n) => n.package === manifest.rootPackage) ?? named[0];
}

function requireModel(ctx: ApiContext, model: string, argumentPath: string): ManifestNode {
  const node = findModel(ctx, model);
  if (!node) throw badInput(argumentPath, `no model named ${JSON.stringify(model.slice(0, 200))}`);
  return node;
}

async function modelInfos(ctx: ApiContext, nodes: ManifestNode[]): Promise<ModelInfo[]> {
  const { manifest, models } = ctx.services;
  const exposed = new Map(models.map((m) => [m.uniqueId, m]));
  const states = await ctx.loaders.modelState.loadMany(nodes.map((n) => n.uniqueId));
  return nodes.map((node, i) => {
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
}

@Resolver(() => ModelInfo)
export class CatalogResolver {
  @Query(() => [ModelInfo], {
    description: 'Every model of the project, with its columns, lineage and last build.',
  })
  async models(@Ctx() ctx: ApiContext): Promise<ModelInfo[]> {
    const nodes = [...ctx.services.manifest.nodes.values()]
      .filter((n) => n.resourceType === 'model')
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return modelInfos(ctx, nodes);
  }

  @Query(() => ModelInfo, {
    nullable: true,
    description: 'One model by name or unique id; null when there is none.',
  })
  async model(@Arg('name', () => String) name: string, @Ctx() ctx: ApiContext): Promise<ModelInfo | null> {
    const node = findModel(ctx, name);
    if (!node || node.resourceType !== 'model') return null;
    return (await modelInfos(ctx, [node]))[0];
  }

  @FieldResolver(() => ModelFreshness, {
    description:
      'Whether a query would rebuild the model (or its upstream) first, checked now (cached briefly).',
  })
  async freshness(@Root() info: ModelInfo, @Ctx() ctx: ApiContext): Promise<ModelFreshness> {
    const plan = await ctx.services.freshness.plan(info.uniqueId);
    return {
      stale: !plan.fresh,
      wouldRefresh: plan.order,
      reasons: describePlan(plan)
        .split('\n')
        .slice(1)
        .map((line) => line.trim()),
      untrackedSources: plan.untracked,
      checkedAt: new Date(plan.checkedAt).toISOString(),
    };
  }

  @Query(() => [RunRecord], {
    description:
      'The latest node runs, newest first; of one model when `model` (name or unique id) is given.',
  })
  async runHistory(
    @Arg('model', () => String, { nullable: true }) model: string | null | undefined,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: ApiContext,
  ): Promise<RunRecord[]> {
    const bounded = boundedInt(limit, 1, MAX_HISTORY, 'limit');
    const uniqueId = model ? requireModel(ctx, model, 'model').uniqueId : undefined;
    const rows = await ctx.services.store.runHistory({ ...(uniqueId ? { uniqueId } : {}), limit: bounded });
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
  }

  @Query(() => [ModelBuildStats], { description: 'Build statistics per model over the last `days` days.' })
  async modelPerformance(
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Ctx() ctx: ApiContext,
  ): Promise<ModelBuildStats[]> {
    const rows = await ctx.services.store.modelPerformance({ days: boundedInt(days, 1, MAX_DAYS, 'days') });
    return rows.map((r) => ({ ...r, model: r.uniqueId }));
  }
}
