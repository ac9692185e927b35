/**
 * `<model>ByKey(<key>: ..., cache)` and relationship fields: one row by a unique column, through
 * the request's row loaders (so several in one request are one statement). `<model>ByKey` loads
 * with its `cache` argument's mode, a relationship field with the target's default mode; the
 * loader's batch applies it once per batch.
 */
import type { GraphQLFieldResolver } from 'graphql';
import { cacheModeFor, type CacheMode } from '../../freshness';
import type { ExposedModel, ExposedRelation } from '../schema';
import { asUserError } from './arguments';
import type { ApiContext } from './context';
import type { Row } from './row-loaders';

export function modelByKeyResolver(
  model: ExposedModel,
): GraphQLFieldResolver<unknown, ApiContext, Record<string, unknown>> {
  const [keyColumn] = model.query.key ?? [];
  const keyField = model.columns.find((c) => c.name === keyColumn)?.field;
  return async (_source, args, ctx) => {
    if (!keyColumn || !keyField) throw new Error(`model ${model.uniqueId} has no key`);
    try {
      return await ctx.loaders.rows.of(ctx, model, keyColumn, args.cache as CacheMode).load(args[keyField]);
    } catch (err) {
      throw asUserError(model, err);
    }
  };
}

export function relationResolver(
  target: ExposedModel,
  relation: ExposedRelation,
): GraphQLFieldResolver<Row, ApiContext> {
  const mode = cacheModeFor(target.node);
  return async (row, _args, ctx) => {
    const key = row[relation.column];
    if (key === null || key === undefined) return null;
    return ctx.loaders.rows.of(ctx, target, relation.targetColumn, mode).load(key);
  };
}
