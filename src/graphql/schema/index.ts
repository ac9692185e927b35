/**
 * The public API of the schema layer (types only; the whole schema with its resolvers is built by
 * ../build-schema.ts): everything outside `graphql/schema/` imports from here.
 */
export {
  exposedModels,
  isExposed,
  RESERVED_FIELDS,
  type ExposedColumn,
  type ExposedModel,
  type ExposedRelation,
} from './exposed-models';
export { operatorsOf } from './filter-types';
export { modelQueryFields, type ModelResolvers } from './model-fields';
export { enumValueName, fieldName, typeName } from './names';
export { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar, JSONScalar } from './scalars';
export { printSdl, SDL_HEADER } from './sdl';
export { kindOfDataType, requireKind, scalarOfColumn, scalarOfKind } from './type-map';
