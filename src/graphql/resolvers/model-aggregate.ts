/**
 * The resolver of `<model>Aggregate(groupBy, where, orderBy, timeGrain, limit, offset, cache)`.
 * The aggregates computed are those the client selected under `rows` (plus any it orders by), so
 * `rows { channel sum { attributedValue } }` costs one `sum`. Like the list query: compile first,
 * then freshness, then the answer (through the result cache).
 */
import type { GraphQLFieldResolver } from 'graphql';
import type { CacheMode } from '../../freshness';
import {
  buildAggregate,
  kindInfo,
  QueryError,
  type AggregateOrder,
  type AggregateSpec,
  type TimeGrainUnit,
} from '../query';
import type { ExposedModel } from '../schema';
import { asUserError, toFilter } from './arguments';
import { cachedRead } from './cached-read';
import type { ApiContext } from './context';
import { modelMeta, type ModelMetaRecord } from './meta';
import { ensureFresh } from './refresh';
import { aggregateSelection } from './selection';

type Fn = 'count' | 'sum' | 'avg' | 'min' | 'max';

interface AggregateArgs {
  groupBy?: string[] | null;
  where?: unknown;
  orderBy?:
    | {
        column?: string | null;
        aggregate?: Fn | null;
        direction: 'ASC' | 'DESC';
        nulls?: 'FIRST' | 'LAST' | null;
      }[]
    | null;
  timeGrain?: { column: string; grain: TimeGrainUnit; timezone?: string | null } | null;
  limit: number;
  offset: number;
  cache: CacheMode;
}

/** The selected aggregates plus the ones ordered by, as the builder's spec (SQL column names). */
function aggregateSpec(
  model: ExposedModel,
  selected: ReturnType<typeof aggregateSelection>,
  orderBy: AggregateArgs['orderBy'],
  columnOfField: Map<string, string>,
): AggregateSpec {
  const columns: Record<'sum' | 'avg' | 'min' | 'max', Set<string>> = {
    sum: new Set(),
    avg: new Set(),
    min: new Set(),
    max: new Set(),
  };
  for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
    for (const field of selected.functions[fn]) {
      const name = columnOfField.get(field);
      if (name) columns[fn].add(name);
    }
  }
  let count = selected.count;
  (orderBy ?? []).forEach((entry, i) => {
    if (entry.aggregate === 'count') count = true;
    else if (entry.aggregate && entry.column) {
      // Checked here, so the error names the orderBy entry rather than the aggregate it implies.
      const kind = model.query.columns.find((c) => c.name === entry.column)?.kind;
      const info = kind && kindInfo(kind);
      const applies = entry.aggregate === 'sum' || entry.aggregate === 'avg' ? info?.numeric : info?.ordered;
      if (!applies)
        throw new QueryError(
          ['orderBy', i, 'column'],
          `${entry.aggregate} does not apply to ${kind ?? 'this'} column`,
        );
      columns[entry.aggregate].add(entry.column);
    }
  });
  const spec: AggregateSpec = count ? { count: true } : {};
  for (const fn of ['sum', 'avg', 'min', 'max'] as const)
    if (columns[fn].size > 0) spec[fn] = [...columns[fn]];
  return spec;
}

export function modelAggregateResolver(
  model: ExposedModel,
): GraphQLFieldResolver<unknown, ApiContext, AggregateArgs> {
  const columnOfField = new Map(model.columns.map((c) => [c.field, c.name]));
  return async (_source, args, ctx, info) => {
    try {
      const selected = aggregateSelection(info);
      const orderBy: AggregateOrder[] | undefined = args.orderBy?.map((o) =>
        o.aggregate
          ? {
              aggregate: o.aggregate,
              ...(o.column ? { column: o.column } : {}),
              direction: o.direction,
              ...(o.nulls ? { nulls: o.nulls } : {}),
            }
          : { column: o.column ?? '', direction: o.direction, ...(o.nulls ? { nulls: o.nulls } : {}) },
      );
      const query = buildAggregate(model.query, {
        groupBy: args.groupBy ?? [],
        where: toFilter(model, args.where),
        orderBy,
        limit: args.limit,
        offset: args.offset,
        aggregates: aggregateSpec(model, selected, args.orderBy, columnOfField),
        ...(args.timeGrain
          ? {
              timeGrain: {
                column: args.timeGrain.column,
                grain: args.timeGrain.grain,
                ...(args.timeGrain.timezone ? { timezone: args.timeGrain.timezone } : {}),
              },
            }
          : {}),
        maxLimit: ctx.services.maxLimit,
      });

      const outcome = await ensureFresh(ctx, model, args.cache);
      const key = JSON.stringify([model.uniqueId, 'aggregate', query.sql, query.params]);
      const { answer, cached, queryMs } = await cachedRead(ctx, model, outcome, key, async () => ({
        rows: selected.rows ? (await ctx.services.warehouse.query(query.sql, query.params)).rows : [],
      }));
      const meta: ModelMetaRecord | undefined = selected.meta
        ? await modelMeta(ctx, model, outcome, queryMs, cached)
        : undefined;
      return { rows: answer.rows, ...(meta ? { meta } : {}) };
    } catch (err) {
      throw asUserError(model, err);
    }
  };
}
