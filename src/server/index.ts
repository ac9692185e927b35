/** The public API of the server: start one, the options it takes, and the demo's start-up decision. */
export {
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  startServer,
  type RunningServer,
  type ServerOptions,
} from './app';
export { DEFAULT_MAX_LIMIT, jsonLogger, type ServerServices, type ServicesOptions } from './services';
export { createFormatError } from './errors';
export { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH } from './query-limits';
export type { ServerMetrics } from './metrics';
export { carryOutStart, planStart, type StartPlan } from './demo-setup';
