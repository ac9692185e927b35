/** The context of one GraphQL request: the process's services and this request's loaders. */
import type { ApiServices } from './services';
import { createLoaders, type Loaders } from './loaders';

export interface ApiContext {
  services: ApiServices;
  loaders: Loaders;
  /** Whether the request carried the admin token (needed for `cache: NO_CACHE`). */
  admin: boolean;
}

export function createContext(services: ApiServices, admin: boolean): ApiContext {
  return { services, loaders: createLoaders(services.store), admin };
}
