/**
 * The resolver of a model's query field (`cohortRetention(where, orderBy, limit, offset, cache)`).
 *
 * Order matters: the request is compiled first, so a bad argument fails before anything is
 * refreshed; then freshness (which may rebuild the stale slice); then the answer — from the result
 * cache when the same query was answered at the same model version, else the reads, the rows and,
 * only when selected, the count. SQL comes only from `graphql/query`: identifiers from the
 * manifest, values as parameters.
 *
 * When the selection allows it (json-rows.ts), the warehouse writes the rows as GraphQL JSON and the
 * page's text goes into the response as it is (raw-json.ts); the field itself resolves to `[]`.
 */
import type { GraphQLFieldResolver } from 'graphql';
import type { CacheMode } from '../../freshness';
import { buildCount, buildSelect } from '../query';
import type { ExposedModel } from '../schema';
import { asUserError, toFilter, toOrder } from './arguments';
import { cachedRead } from './cached-read';
import type { ApiContext } from './context';
import { modelMeta, type ModelMetaRecord } from './meta';
import { jsonRowsPlan } from './json-rows';
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
      const json = ctx.rawJson && ctx.services.jsonRows ? jsonRowsPlan(info, model) : undefined;
      const select = buildSelect(model.query, {
        where,
        orderBy: toOrder(args.orderBy),
        limit: args.limit,
        offset: args.offset,
        columns,
        ...(json ? { json: json.fields } : {}),
        maxLimit: ctx.services.maxLimit,
      });
      const count = selection.totalCount ? buildCount(model.query, { where }) : undefined;

      const outcome = await ensureFresh(ctx, model, args.cache);

      const { warehouse } = ctx.services;
      // The JSON path's keys (aliases, __typename) are in its encoding, not in its SQL.
      const key = JSON.stringify([
        model.uniqueId,
        selection.rows ? select.sql : null,
        selection.rows ? (select.json ?? null) : null,
        select.params,
        count?.sql ?? null,
      ]);
      const { answer, cached, queryMs } = await cachedRead(ctx, model, outcome, key, async () => {
        const [page, total] = await Promise.all([
          !selection.rows
            ? { rows: [] }
            : json && select.json
              ? warehouse
                  .queryJsonRows(select.sql, select.params, select.json)
                  .then((rows) => ({ rows: [], json: rows }))
              : warehouse.query(select.sql, select.params).then(({ rows }) => ({ rows })),
          count
            ? warehouse
                .query<{ totalCount: number }>(count.sql, count.params)
                .then((r) => Number(r.rows[0].totalCount))
            : undefined,
        ]);
        return total === undefined ? page : { ...page, totalCount: total };
      });
      if (json && answer.json) ctx.rawJson?.add(json.path, answer.json.bytes);
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
