/**
 * The one place a materialization is chosen by name (`config.materialized`), as sqlmesh picks one
 * evaluation strategy per model kind in a single factory.
 *
 * `registerMaterialization` is the extension point for user-defined materializations (dbt's
 * `{% materialization %}` blocks, compiled into a `Materialization` by the Jinja layer): a
 * registered name replaces a built-in one, as a project's materialization overrides dbt's.
 */
import { closestName, MartqlError } from '../errors';
import { incrementalMaterialization } from './incremental';
import { tableMaterialization } from './table';
import type { Materialization } from './types';
import { viewMaterialization } from './view';

/** Ephemeral models are inlined as CTEs by the compiler; nothing is built for them. */
export const ephemeralMaterialization: Materialization = {
  name: 'ephemeral',
  run: async () => ({ kind: 'noop', rowsAffected: null, relationType: 'view', statements: [] }),
};

const BUILT_IN: readonly Materialization[] = [
  viewMaterialization,
  tableMaterialization,
  incrementalMaterialization,
  ephemeralMaterialization,
];

const registered = new Map<string, Materialization>();

export function registerMaterialization(materialization: Materialization): void {
  registered.set(materialization.name, materialization);
}

/** Removes a registered materialization (tests, or a project unloaded from a long-lived server). */
export function unregisterMaterialization(name: string): void {
  registered.delete(name);
}

export function knownMaterializations(): string[] {
  return [...new Set([...BUILT_IN.map((m) => m.name), ...registered.keys()])].sort();
}

export function materializationFor(name: string): Materialization {
  const found = registered.get(name) ?? BUILT_IN.find((m) => m.name === name);
  if (found) return found;
  const known = knownMaterializations();
  const guess = closestName(name, known);
  throw new MartqlError('PROJECT_CONFIG', `unknown materialization '${name}' (known: ${known.join(', ')})`, {
    hint: guess ? `did you mean '${guess}'?` : 'define it with a {% materialization %} block in a macro file',
    data: { materialization: name, known },
  });
}
