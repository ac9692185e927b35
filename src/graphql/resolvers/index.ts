/**
 * The public API of the resolvers: the services a server builds once, the per-request context,
 * and the resolver set `buildSchema` takes.
 */
import type { SchemaResolvers } from '../schema';
import { modelPerformanceResolver, modelsResolver, runHistoryResolver } from './catalog';
import { modelPageResolver } from './model-query';

export { BackgroundTasks, type ApiServices } from './services';
export { createContext, type ApiContext } from './context';
export { createLoaders, type Loaders } from './loaders';
export { runnerExecute, type RunnerExecuteOptions } from './runner-execute';

export const resolvers: SchemaResolvers = {
  modelPage: modelPageResolver,
  models: modelsResolver,
  runHistory: runHistoryResolver,
  modelPerformance: modelPerformanceResolver,
};
