/**
 * The API's GraphQL schema for a project, from its manifest alone (no database): the fixed
 * surface — type-graphql classes and resolvers (catalogue, history, jobs, mutations) — plus the
 * generated fields of every exposed model. type-graphql builds the fixed part; the model types
 * cannot be decorated classes (they exist only once a manifest is read), so they are graphql-js
 * types added to its Query, sharing its `ModelMeta`.
 */
import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import type { Manifest } from '../graph/types';
import { CatalogResolver } from './resolvers/catalog';
import { JobResolver } from './resolvers/job-resolver';
import { modelResolvers } from './resolvers/model-resolvers';
import { exposedModels, type ExposedModel } from './schema/exposed-models';
import { ModelMeta } from './schema/fixed/meta';
import { modelQueryFields } from './schema/model-fields';

export interface BuiltSchema {
  schema: GraphQLSchema;
  models: ExposedModel[];
}

export interface BuildSchemaOptions {
  /** Leave the model fields without resolvers (the SDL is the same); for `martql schema`. */
  withoutResolvers?: boolean;
}

export function buildSchema(manifest: Manifest, options: BuildSchemaOptions = {}): BuiltSchema {
  const models = exposedModels(manifest);
  const fixed = buildSchemaSync({
    resolvers: [CatalogResolver, JobResolver],
    orphanedTypes: [ModelMeta],
    validate: false,
  });
  const modelMeta = fixed.getType('ModelMeta');
  if (!(modelMeta instanceof GraphQLObjectType)) throw new Error('type-graphql did not build ModelMeta');
  const query = fixed.getQueryType()!.toConfig();
  const fields = modelQueryFields(
    models,
    modelMeta,
    new Set(Object.keys(query.fields)),
    options.withoutResolvers ? undefined : modelResolvers,
  );
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ ...query, fields: { ...query.fields, ...fields } }),
    mutation: fixed.getMutationType(),
  });
  return { schema, models };
}
