/**
 * The warehouse a command uses: Postgres when `DATABASE_URL` is set, else the embedded PGlite
 * database kept in `.martql/pglite` under the project.
 */
import * as path from 'node:path';
import { openWarehouse, type Warehouse } from '../warehouse';

export function openProjectWarehouse(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Warehouse> {
  return openWarehouse({
    url: env.DATABASE_URL || undefined,
    dataDir: env.DATABASE_URL ? undefined : path.join(projectDir, '.martql', 'pglite'),
    applicationName: 'martql',
  });
}
