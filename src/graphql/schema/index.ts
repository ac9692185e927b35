/** The public API of the schema layer: everything outside `graphql/schema/` imports from here. */
export { buildSchema, type BuiltSchema, type SchemaResolvers } from './build-schema';
export { exposedModels, isExposed, RESERVED_FIELDS, type ExposedColumn, type ExposedModel } from './exposed-models';
export { operatorsOf } from './filter-types';
export { enumValueName, fieldName, typeName } from './names';
export { BigIntScalar, DateScalar, DateTimeScalar, JSONScalar, isoDateTime } from './scalars';
export { printSdl, SDL_HEADER } from './sdl';
export { kindOfDataType, requireKind, scalarOfKind } from './type-map';
