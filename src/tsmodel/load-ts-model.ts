/**
 * Loading a TypeScript model's module and checking that it exports what `defineModel` describes.
 *
 * In a checkout MartQL itself runs through tsx (and tests through ts-jest), so `require` already
 * understands TypeScript; from the compiled package it does not, so a first failure to parse the
 * file registers tsx's loader and tries once more.
 */
import { MartqlError, type SourceLocation } from '../errors';
import type { TsModelDefinition } from './define-model';

/** The checksum each module was loaded at: an edited file is loaded again (a server lives on). */
const loadedAt = new Map<string, string>();

function requireModule(absPath: string, checksum: string | undefined): unknown {
  if (checksum !== undefined && loadedAt.has(absPath) && loadedAt.get(absPath) !== checksum) {
    delete require.cache[absPath];
  }
  if (checksum !== undefined) loadedAt.set(absPath, checksum);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(absPath);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('tsx/cjs');
    delete require.cache[absPath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(absPath);
  }
}

export function loadTsModel(absPath: string, location: SourceLocation, checksum?: string): TsModelDefinition {
  let mod: unknown;
  try {
    mod = requireModule(absPath, checksum);
  } catch (err) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `the TypeScript model could not be loaded: ${(err as Error).message}`,
      {
        location,
        cause: err,
      },
    );
  }
  const def = ((mod as { default?: unknown }).default ?? mod) as Partial<TsModelDefinition>;
  const problem = (what: string) =>
    new MartqlError('PROJECT_CONFIG', `the TypeScript model's default export ${what}`, {
      location,
      hint: 'export default defineModel({ refs, columns: { name: type }, async run(ctx) { return rows } })',
    });
  if (!def || typeof def !== 'object') throw problem('is missing');
  if (typeof def.run !== 'function') throw problem('has no run() function');
  const columns = def.columns;
  if (!columns || typeof columns !== 'object' || Object.keys(columns).length === 0) {
    throw problem('declares no columns');
  }
  for (const [name, type] of Object.entries(columns)) {
    if (typeof type !== 'string' || !type.trim()) throw problem(`gives column '${name}' no type`);
  }
  if (def.refs !== undefined && !Array.isArray(def.refs)) throw problem('has refs that are not a list');
  if (def.sources !== undefined && !Array.isArray(def.sources))
    throw problem('has sources that are not a list');
  return def as TsModelDefinition;
}
