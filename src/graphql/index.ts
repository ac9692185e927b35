/** The GraphQL layer: the schema of a project (with its resolvers) and what a server builds once. */
export { buildSchema, type BuildSchemaOptions, type BuiltSchema } from './build-schema';
