/**
 * The query fields of the exposed models: per model `<model>` (rows, count, meta),
 * `<model>Aggregate` and, where a unique key is declared, `<model>ByKey`. Row types are built
 * first for every model, so relationship fields can point at any of them. Resolvers are optional:
 * `martql schema` builds the same fields without a database.
 */
import {
  GraphQLNonNull,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
} from 'graphql';
import { MartqlError } from '../../errors';
import { aggregateTypes } from './aggregate-types';
import type { ExposedModel, ExposedRelation } from './exposed-models';
import { FilterInputs } from './filter-types';
import { cacheArg, columnEnum, describe, modelTypes, rowType } from './model-types';
import { scalarOfColumn } from './type-map';

type Resolver = GraphQLFieldResolver<any, any, any>;

export interface ModelResolvers {
  page(model: ExposedModel): Resolver;
  aggregate(model: ExposedModel): Resolver;
  byKey(model: ExposedModel): Resolver;
  /** The resolver of a relationship field, given the model it points at. */
  relation(target: ExposedModel, relation: ExposedRelation): Resolver;
}

/** The `<model>ByKey` arguments: one non-null argument per key column, and `cache`. */
function byKeyArgs(model: ExposedModel, key: string[]): GraphQLFieldConfigArgumentMap {
  const args: GraphQLFieldConfigArgumentMap = {};
  for (const name of key) {
    const column = model.columns.find((c) => c.name === name)!;
    args[column.field] = { type: new GraphQLNonNull(scalarOfColumn(column)), description: describe(column.description) };
  }
  args.cache = cacheArg(model);
  return args;
}

export function modelQueryFields(
  models: readonly ExposedModel[],
  modelMeta: GraphQLObjectType,
  taken: ReadonlySet<string>,
  resolvers?: ModelResolvers,
): GraphQLFieldConfigMap<unknown, unknown> {
  const rows = new Map<string, GraphQLObjectType>();
  const byId = new Map(models.map((m) => [m.uniqueId, m]));
  const links = {
    rowOf: (id: string) => rows.get(id)!,
    relation: resolvers ? (_m: ExposedModel, r: ExposedRelation) => resolvers.relation(byId.get(r.target)!, r) : undefined,
  };
  for (const model of models) rows.set(model.uniqueId, rowType(model, links));

  const filters = new FilterInputs();
  const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const add = (name: string, model: ExposedModel, config: GraphQLFieldConfigMap<unknown, unknown>[string]) => {
    if (taken.has(name) || name in fields) {
      throw new MartqlError('YAML_SCHEMA', `model '${model.name}' would add the query field '${name}', which is taken`, {
        hint: "give the model another GraphQL name with `graphql: { name: ... }` in its config",
      });
    }
    fields[name] = config;
  };

  for (const model of models) {
    const row = rows.get(model.uniqueId)!;
    const column = columnEnum(model);
    const list = modelTypes(model, row, column, filters, modelMeta);
    add(model.fieldName, model, {
      type: new GraphQLNonNull(list.page),
      description: model.node.description || `Rows of ${model.name}.`,
      args: list.args,
      resolve: resolvers?.page(model),
    });
    const aggregate = aggregateTypes(model, column, list.filter, modelMeta);
    add(`${model.fieldName}Aggregate`, model, {
      type: new GraphQLNonNull(aggregate.page),
      description: `Groups of ${model.name} with count, sum, avg, min and max; only the selected aggregates are computed.`,
      args: aggregate.args,
      resolve: resolvers?.aggregate(model),
    });
    const key = model.query.key;
    if (key?.length) {
      add(`${model.fieldName}ByKey`, model, {
        type: row,
        description: `The ${model.name} row with this ${key.join(', ')} (declared unique); null when there is none.`,
        args: byKeyArgs(model, key),
        resolve: resolvers?.byKey(model),
      });
    }
  }
  return fields;
}
