/**
 * The generated types of `<model>Aggregate(groupBy, where, orderBy, limit, offset, timeGrain)`.
 *
 * A result row holds the group columns under their usual field names (null for columns not
 * grouped by) and `count`, `sum`, `avg`, `min`, `max` sub-objects with one field per column they
 * apply to. The resolver computes only what the client selected: selecting `sum { revenue }` asks
 * for `sum(revenue)` and nothing else. Rows arrive keyed by the builder's output aliases
 * (`cohort_type`, `count(*)`, `sum(revenue)`), which these fields read.
 */
import {
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLEnumType,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLScalarType,
} from 'graphql';
import { kindInfo } from '../query';
import type { ExposedColumn, ExposedModel } from './exposed-models';
import { AggregateFunctionEnum, NullsOrderEnum, SortDirectionEnum, TimeGrainEnum } from './model-enums';
import { cacheArg, describe } from './model-types';
import { scalarOfColumn } from './type-map';

/** What an aggregate sub-object resolves from: the function and the result row. */
export interface AggregateSource {
  fn: 'sum' | 'avg' | 'min' | 'max';
  row: Record<string, unknown>;
}

export interface AggregateTypes {
  page: GraphQLObjectType;
  args: GraphQLFieldConfigArgumentMap;
}

export const groupable = (c: ExposedColumn) => kindInfo(c.kind).equality;
export const summable = (c: ExposedColumn) => kindInfo(c.kind).numeric;
export const comparable = (c: ExposedColumn) => kindInfo(c.kind).ordered;

function functionObject(
  name: string,
  description: string,
  columns: ExposedColumn[],
  typeOf: (c: ExposedColumn) => GraphQLScalarType,
): GraphQLObjectType | undefined {
  if (columns.length === 0) return undefined;
  return new GraphQLObjectType({
    name,
    description,
    fields: Object.fromEntries(
      columns.map((c) => [
        c.field,
        {
          type: typeOf(c),
          description: describe(c.description),
          resolve: (source: AggregateSource) => source.row[`${source.fn}(${c.name})`],
        },
      ]),
    ),
  });
}

export function aggregateTypes(
  model: ExposedModel,
  column: GraphQLEnumType,
  filter: GraphQLInputObjectType,
  modelMeta: GraphQLObjectType,
): AggregateTypes {
  const T = model.typeName;
  const numbers = functionObject(
    `${T}Numbers`,
    `sum or avg of the numeric columns of ${model.name}.`,
    model.columns.filter(summable),
    () => GraphQLFloat,
  );
  const extremes = functionObject(
    `${T}Extremes`,
    `min or max of the ordered columns of ${model.name}.`,
    model.columns.filter(comparable),
    (c) => scalarOfColumn(c),
  );
  const sub = (fn: AggregateSource['fn'], type: GraphQLObjectType | undefined) =>
    type ? { [fn]: { type: new GraphQLNonNull(type), resolve: (row: Record<string, unknown>) => ({ fn, row }) } } : {};

  const row = new GraphQLObjectType({
    name: `${T}AggregateRow`,
    description: `A group of ${model.name} rows: its group columns (null when not grouped by) and aggregates.`,
    fields: {
      ...Object.fromEntries(
        model.columns.filter(groupable).map((c) => [
          c.field,
          {
            type: scalarOfColumn(c),
            description: describe(c.description),
            resolve: (source: Record<string, unknown>) => source[c.name],
          },
        ]),
      ),
      count: {
        type: new GraphQLNonNull(GraphQLInt),
        description: 'Rows in the group.',
        resolve: (source: Record<string, unknown>) => Number(source['count(*)']),
      },
      ...sub('sum', numbers),
      ...sub('avg', numbers),
      ...sub('min', extremes),
      ...sub('max', extremes),
    },
  });

  const order = new GraphQLInputObjectType({
    name: `${T}AggregateOrder`,
    description:
      'Order by a group column (`column`), or by a selected aggregate (`aggregate`, with `column` except for COUNT).',
    fields: {
      column: { type: column },
      aggregate: { type: AggregateFunctionEnum },
      direction: { type: new GraphQLNonNull(SortDirectionEnum), defaultValue: 'ASC' },
      nulls: { type: NullsOrderEnum },
    },
  });

  const timeGrain = new GraphQLInputObjectType({
    name: `${T}TimeGrain`,
    description: 'Bucket a date or timestamp column (of groupBy, or added to it) by a grain.',
    fields: {
      column: { type: new GraphQLNonNull(column) },
      grain: { type: new GraphQLNonNull(TimeGrainEnum) },
      timezone: { type: GraphQLString, description: 'An IANA zone, for timestamptz columns; UTC when absent.' },
    },
  });

  const page = new GraphQLObjectType({
    name: `${T}Aggregate`,
    description: `Groups of ${model.name} rows with their aggregates, and how they were obtained.`,
    fields: {
      rows: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(row))) },
      meta: { type: new GraphQLNonNull(modelMeta) },
    },
  });

  const args: GraphQLFieldConfigArgumentMap = {
    groupBy: { type: new GraphQLList(new GraphQLNonNull(column)), defaultValue: [] },
    where: { type: filter },
    orderBy: { type: new GraphQLList(new GraphQLNonNull(order)) },
    timeGrain: { type: timeGrain },
    limit: { type: GraphQLInt, defaultValue: 100 },
    offset: { type: GraphQLInt, defaultValue: 0 },
    cache: cacheArg(model),
  };
  return { page, args };
}
