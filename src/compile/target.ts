/**
 * The build target: where models go. dbt reads it from a profile; MartQL from the environment, so
 * the same project runs embedded (no `DATABASE_URL`) or against a server without a profiles file.
 */
import type { TargetInfo } from '../jinja/context/node-context';

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env, threads = 4): TargetInfo {
  const url = env.DATABASE_URL;
  let database = 'postgres';
  let user: string | undefined;
  if (url) {
    try {
      const parsed = new URL(url);
      database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
      user = decodeURIComponent(parsed.username) || undefined;
    } catch {
      // A malformed URL fails later, with the driver's own message, when the warehouse opens.
    }
  }
  return {
    name: env.MARTQL_TARGET ?? 'dev',
    schema: env.MARTQL_SCHEMA ?? 'public',
    database,
    type: 'postgres',
    threads,
    user,
  };
}
