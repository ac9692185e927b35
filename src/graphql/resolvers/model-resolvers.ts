/** The resolvers of the generated per-model fields, as `buildSchema` attaches them. */
import type { ModelResolvers } from '../schema/model-fields';
import { modelAggregateResolver } from './model-aggregate';
import { modelByKeyResolver, relationResolver } from './model-by-key';
import { modelPageResolver } from './model-query';

export const modelResolvers: ModelResolvers = {
  page: modelPageResolver,
  aggregate: modelAggregateResolver,
  byKey: modelByKeyResolver,
  relation: relationResolver,
};
