/**
 * The GraphQL schema of a project, from its manifest alone: the fixed surface plus one query field
 * per exposed model. Resolvers are optional so that `martql schema` (and tests) can build the
 * same schema without a database; the server passes them in.
 */
import {
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLFieldResolver,
} from 'graphql';
import type { Manifest } from '../../graph/types';
import { exposedModels, type ExposedModel } from './exposed-models';
import { FilterInputs } from './filter-types';
import { ModelInfoType, ModelPerformanceType, RunRecordType } from './fixed-types';
import { modelTypes } from './model-types';

type Resolver = GraphQLFieldResolver<unknown, any, any>;

export interface SchemaResolvers {
  /** The resolver of a model's query field. */
  modelPage(model: ExposedModel): Resolver;
  models: Resolver;
  runHistory: Resolver;
  modelPerformance: Resolver;
}

export interface BuiltSchema {
  schema: GraphQLSchema;
  models: ExposedModel[];
}

export function buildSchema(manifest: Manifest, resolvers?: SchemaResolvers): BuiltSchema {
  const models = exposedModels(manifest);
  const filters = new FilterInputs();
  const list = <T extends GraphQLObjectType>(type: T) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));

  const fields: GraphQLFieldConfigMap<unknown, unknown> = {
    models: {
      type: list(ModelInfoType),
      description: 'Every model of the project, with its columns, lineage and last build.',
      resolve: resolvers?.models,
    },
    runHistory: {
      type: list(RunRecordType),
      description: 'The latest node runs, newest first; of one model when `model` (name or unique id) is given.',
      args: {
        model: { type: GraphQLString },
        limit: { type: GraphQLInt, defaultValue: 50 },
      },
      resolve: resolvers?.runHistory,
    },
    modelPerformance: {
      type: list(ModelPerformanceType),
      description: 'Build statistics per model over the last `days` days.',
      args: { days: { type: GraphQLInt, defaultValue: 30 } },
      resolve: resolvers?.modelPerformance,
    },
  };
  for (const model of models) {
    const types = modelTypes(model, filters);
    fields[model.fieldName] = {
      type: new GraphQLNonNull(types.page),
      description: model.node.description || `Rows of ${model.name}.`,
      args: types.args,
      resolve: resolvers?.modelPage(model),
    };
  }
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields }),
  });
  return { schema, models };
}
