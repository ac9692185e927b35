/**
 * The resolver of a model's query field (`cohortRetention(where, orderBy, limit, offset, cache)`).
 *
 * Order matters: the request is compiled first, so a bad argument fails before anything is
 * refreshed; then freshness (which may rebuild the stale slice); then the answer — from the result
 * cache when the same query was answered at the same model version, else the reads, the rows and,
 * only when selected, the count. SQL comes only from `graphql/query`: identifiers from the
 * manifest, values as parameters.
 */
import type { GraphQLFieldResolver } from 'graphql';
import type { CacheMode } from '../../freshness';
import { buildCount, buildSelect } from '../query';
import type { ExposedModel } from '../schema';
import { asUserError, toFilter, toOrder } from './arguments';
import { cachedRead } from './cached-read';
import type { ApiContext } from './context';
import { modelMeta, type ModelMetaRecord } from './meta';
import { ensureFresh } from './refresh';
import { pageSelection } from './selection';

interface ModelArgs {
  where?: unknown;
  orderBy?: { column: string; direction?: 'ASC' | 'DESC' | null; nulls?: 'FIRST' | 'LAST' | null }[] | null;
  limit: number;
  offset: number;
  cache: CacheMode;
}

export interface PageRecord {
  rows: Record<string, unknown>[];
  totalCount?: number;
  meta?: ModelMetaRecord;
}

export function modelPageResolver(model: ExposedModel): GraphQLFieldResolver<unknown, ApiContext, ModelArgs> {
  // A relationship field needs its key column read even when the client did not select it.
  const columnOfField = new Map([
    ...model.columns.map((c): [string, string] => [c.field, c.name]),
    ...model.relations.map((r): [string, string] => [r.field, r.column]),
  ]);
  return async (_source, args, ctx, info): Promise<PageRecord> => {
    try {
      const selection = pageSelection(info);
      const where = toFilter(model, args.where);
      const columns = [...new Set([...selection.rowFields].flatMap((f) => columnOfField.get(f) ?? []))];
      const select = buildSelect(model.query, {
        where,
        orderBy: toOrder(args.orderBy),
        limit: args.limit,
        offset: args.offset,
        columns,
        maxLimit: ctx.services.maxLimit,
      });
      const count = selection.totalCount ? buildCount(model.query, { where }) : undefined;

      const outcome = await ensureFresh(ctx, model, args.cache);

      const { warehouse } = ctx.services;
      const key = JSON.stringify([
        model.uniqueId,
        selection.rows ? select.sql : null,
        select.params,
        count?.sql ?? null,
      ]);
      const { answer, cached, queryMs } = await cachedRead(ctx, model, outcome, key, async () => {
        const [rows, total] = await Promise.all([
          selection.rows ? warehouse.query(select.sql, select.params).then((r) => r.rows) : [],
          count
            ? warehouse
                .query<{ totalCount: number }>(count.sql, count.params)
                .then((r) => Number(r.rows[0].totalCount))
            : undefined,
        ]);
        return total === undefined ? { rows } : { rows, totalCount: total };
      });
      return {
        rows: answer.rows,
        ...(answer.totalCount === undefined ? {} : { totalCount: answer.totalCount }),
        ...(selection.meta ? { meta: await modelMeta(ctx, model, outcome, queryMs, cached) } : {}),
      };
    } catch (err) {
      throw asUserError(model, err);
    }
  };
}
