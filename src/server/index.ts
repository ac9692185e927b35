/** The public API of the server: start one, and the options it takes. */
export { DEFAULT_PORT, startServer, type RunningServer, type ServerOptions } from './app';
export { DEFAULT_MAX_LIMIT, jsonLogger, type ServicesOptions } from './services';
export { createFormatError } from './errors';
