/**
 * The one place a materialization is chosen by name (`config.materialized`), as sqlmesh picks one
 * evaluation strategy per model kind in a single factory.
 *
 * The built-ins are TypeScript. A project adds its own with `{% materialization %}` blocks, found in
 * the project's macro index (`custom/find-macro.ts` says which block wins) and run through the same
 * `Materialization` interface (`custom/jinja-materialization.ts`). There is no process-wide
 * registry: a block belongs to its project, and one process can hold several projects.
 */
import { closestName, MartqlError } from '../errors';
import type { MacroIndex } from '../jinja/context/macro-index';
import { findMaterializationMacro, projectMaterializationNames } from './custom/find-macro';
import { jinjaMaterialization } from './custom/jinja-materialization';
import { withOutsideHooks } from './hooks';
import { incrementalMaterialization } from './incremental';
import { tableMaterialization } from './table';
import type { Materialization } from './types';
import { viewMaterialization } from './view';

/** Ephemeral models are inlined as CTEs by the compiler; nothing is built for them. */
export const ephemeralMaterialization: Materialization = {
  name: 'ephemeral',
  run: async () => ({ kind: 'noop', rowsAffected: null, relationType: 'view', statements: [] }),
};

/** Each runs its request's `transaction: false` hooks around the build; ephemeral runs no hooks. */
const BUILT_IN: readonly Materialization[] = [
  withOutsideHooks(viewMaterialization),
  withOutsideHooks(tableMaterialization),
  withOutsideHooks(incrementalMaterialization),
  ephemeralMaterialization,
];

export interface MaterializationScope {
  /** The project's macros, where `{% materialization %}` blocks live; built-ins only when absent. */
  macros?: MacroIndex;
  /** The model being built, named in the error when nothing has this name. */
  model?: string;
}

/** Every name `materialized` can take in this project, sorted. */
export function knownMaterializations(macros?: MacroIndex): string[] {
  const custom = macros ? projectMaterializationNames(macros) : [];
  return [...new Set([...BUILT_IN.map((m) => m.name), ...custom])].sort();
}

export function materializationFor(name: string, scope: MaterializationScope = {}): Materialization {
  const builtIn = BUILT_IN.find((m) => m.name === name);
  if (scope.macros) {
    const block = findMaterializationMacro(scope.macros, name, { builtIn: builtIn !== undefined });
    if (block) return withOutsideHooks(jinjaMaterialization(name, block, scope.macros));
  }
  if (builtIn) return builtIn;
  const known = knownMaterializations(scope.macros);
  const guess = closestName(name, known);
  const subject = scope.model ? `model ${scope.model}: ` : '';
  throw new MartqlError(
    'PROJECT_CONFIG',
    `${subject}unknown materialization '${name}' (known: ${known.join(', ')})`,
    {
      hint: guess
        ? `did you mean '${guess}'?`
        : `define it with {% materialization ${name}, default %} ... {% endmaterialization %} in a macro file`,
      data: { materialization: name, known, ...(scope.model ? { model: scope.model } : {}) },
    },
  );
}
