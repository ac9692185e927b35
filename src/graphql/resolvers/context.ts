/** The context of one GraphQL request: the process's services and this request's loaders. */
import type { ApiServices } from './services';
import { createLoaders, type Loaders } from './loaders';
import { RawJsonSlots } from './raw-json';

export interface ApiContext {
  services: ApiServices;
  loaders: Loaders;
  /** Whether the request carried the admin token (needed for `cache: NO_CACHE`). */
  admin: boolean;
  /** Where resolvers leave JSON text for the HTTP handler to splice in; absent outside HTTP requests. */
  rawJson?: RawJsonSlots;
}

/** The context of an HTTP request, whose handler splices `rawJson` into the response. */
export function createContext(services: ApiServices, admin: boolean): ApiContext {
  return { services, loaders: createLoaders(services.store), admin, rawJson: new RawJsonSlots() };
}
