/**
 * The public API of the resolvers: the services a server builds once and the per-request context.
 * The resolvers themselves are attached by `buildSchema` (../build-schema.ts).
 */
export { BackgroundTasks, type ApiServices } from './services';
export { createContext, type ApiContext } from './context';
export { RawJsonSlots } from './raw-json';
export { createLoaders, type Loaders } from './loaders';
export { JobRegistry, type JobRecord } from './jobs';
export { ResultCache, type ResultCacheOptions } from './result-cache';
export {
  projectRunner,
  runnerExecute,
  type JobRunRequest,
  type ProjectRunner,
  type RunnerExecuteOptions,
} from './runner-execute';
