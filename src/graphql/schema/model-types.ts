/**
 * The generated types of one exposed model's list query: its row type, `<Model>Column` enum,
 * `<Model>Filter` (per-column operator inputs plus and/or/not), `<Model>Order` and `<Model>Page`,
 * and the arguments of its query field. Enum values carry SQL column names and filter fields are
 * mapped back to them by resolvers/arguments.ts, so the query builder only ever sees declared names.
 */
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLFieldResolver,
  type GraphQLInputFieldConfigMap,
} from 'graphql';
import { MartqlError } from '../../errors';
import { cacheModeFor } from '../../freshness';
import type { ExposedModel, ExposedRelation } from './exposed-models';
import type { FilterInputs } from './filter-types';
import { CacheModeEnum, NullsOrderEnum, SortDirectionEnum } from './model-enums';
import { scalarOfColumn } from './type-map';

/** Filter keys that mean a combinator, so no column may take them as its field name. */
const COMBINATORS: ReadonlySet<string> = new Set(['and', 'or', 'not']);

export interface ModelTypes {
  row: GraphQLObjectType;
  column: GraphQLEnumType;
  filter: GraphQLInputObjectType;
  order: GraphQLInputObjectType;
  page: GraphQLObjectType;
  args: GraphQLFieldConfigArgumentMap;
}

/** What the row types need from outside: other models' row types, and relation resolvers. */
export interface RowLinks {
  rowOf(uniqueId: string): GraphQLObjectType;
  relation?(model: ExposedModel, relation: ExposedRelation): GraphQLFieldResolver<any, any, any>;
}

export const describe = (text: string) => text || undefined;

/** The `cache` argument, defaulting to the model's `cache_mode` config (the SDL says so). */
export function cacheArg(model: ExposedModel): GraphQLFieldConfigArgumentMap[string] {
  return { type: CacheModeEnum, defaultValue: cacheModeFor(model.node) };
}

export function rowType(model: ExposedModel, links: RowLinks): GraphQLObjectType {
  return new GraphQLObjectType({
    name: model.typeName,
    description: describe(model.node.description),
    fields: () => {
      const fields: GraphQLFieldConfigMap<Record<string, unknown>, unknown> = {};
      for (const c of model.columns) {
        fields[c.field] = {
          type: scalarOfColumn(c),
          description: describe(c.description),
          // Rows come back keyed by SQL column name.
          resolve: (source) => source[c.name],
        };
      }
      for (const rel of model.relations) {
        fields[rel.field] = {
          type: links.rowOf(rel.target),
          description: `The ${rel.target.split('.').pop()} row whose ${rel.targetColumn} is this row's ${rel.column} (from a relationships test); null when none.`,
          resolve: links.relation?.(model, rel),
        };
      }
      return fields;
    },
  });
}

export function columnEnum(model: ExposedModel): GraphQLEnumType {
  return new GraphQLEnumType({
    name: `${model.typeName}Column`,
    description: `The columns of ${model.name}.`,
    values: Object.fromEntries(model.columns.map((c) => [c.enumValue, { value: c.name }])),
  });
}

export function modelTypes(
  model: ExposedModel,
  row: GraphQLObjectType,
  column: GraphQLEnumType,
  filters: FilterInputs,
  modelMeta: GraphQLObjectType,
): ModelTypes {
  const T = model.typeName;

  const filter: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: `${T}Filter`,
    description: `Conditions on ${model.name}; all given must hold.`,
    fields: (): GraphQLInputFieldConfigMap => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const c of model.columns) {
        if (COMBINATORS.has(c.field))
          throw new MartqlError('YAML_SCHEMA', `column '${c.name}' of model '${model.name}' cannot be filtered as '${c.field}'`);
        fields[c.field] = { type: filters.of(c.kind, c.exact) };
      }
      fields.and = { type: new GraphQLList(new GraphQLNonNull(filter)), description: 'Every one holds.' };
      fields.or = { type: new GraphQLList(new GraphQLNonNull(filter)), description: 'At least one holds.' };
      fields.not = { type: filter, description: 'Does not hold.' };
      return fields;
    },
  });

  const order = new GraphQLInputObjectType({
    name: `${T}Order`,
    fields: {
      column: { type: new GraphQLNonNull(column) },
      direction: { type: new GraphQLNonNull(SortDirectionEnum), defaultValue: 'ASC' },
      nulls: { type: NullsOrderEnum },
    },
  });

  const page = new GraphQLObjectType({
    name: `${T}Page`,
    description: `A page of ${model.name} rows and how they were obtained.`,
    fields: {
      rows: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(row))) },
      totalCount: { type: new GraphQLNonNull(GraphQLInt), description: 'Rows matching `where` (one more query, only when selected).' },
      meta: { type: new GraphQLNonNull(modelMeta) },
    },
  });

  const args: GraphQLFieldConfigArgumentMap = {
    where: { type: filter },
    orderBy: { type: new GraphQLList(new GraphQLNonNull(order)) },
    limit: { type: GraphQLInt, defaultValue: 100 },
    offset: { type: GraphQLInt, defaultValue: 0 },
    cache: cacheArg(model),
  };

  return { row, column, filter, order, page, args };
}
