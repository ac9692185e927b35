/**
 * Which `{% materialization %}` block `materialized='name'` means for one project.
 *
 * A block `{% materialization name, adapter='postgres' %}` is the macro
 * `materialization_name_postgres`; `{% materialization name, default %}` is
 * `materialization_name_default`. As in dbt, the block written for the adapter beats a default
 * one wherever each is defined, and between blocks of the same kind the root project beats its
 * packages (in the order they were resolved), which beat MartQL's built-in `dbt` package.
 *
 * The built-in materializations (view, table, incremental, ephemeral) are TypeScript. Only the root
 * project may replace one with a block, as dbt has required since 1.8: a package cannot silently
 * change how every `table` model of the project is built.
 *
 * Blocks are looked up in the project's own macro index, not in a process-wide registry, because
 * one process can hold several projects (a server, tests) that define different blocks.
 */
import { BUILTIN_PACKAGE, type MacroEntry, type MacroIndex } from '../../jinja/context/macro-index';

/** The adapter blocks are chosen for, most specific first. */
const ADAPTERS = ['postgres', 'default'] as const;

const PREFIX = 'materialization_';

export function materializationMacroName(name: string, adapter: string): string {
  return `${PREFIX}${name}_${adapter}`;
}

export function findMaterializationMacro(
  macros: MacroIndex,
  name: string,
  options: { builtIn: boolean },
): MacroEntry | undefined {
  const packages = options.builtIn
    ? [macros.rootPackage]
    : [...new Set([macros.rootPackage, ...macros.packages, BUILTIN_PACKAGE])];
  for (const adapter of ADAPTERS) {
    for (const pkg of packages) {
      const entry = macros.get(pkg, materializationMacroName(name, adapter));
      if (entry) return entry;
    }
  }
  return undefined;
}

/** Names of the blocks a project defines for this adapter (for "unknown materialization" messages). */
export function projectMaterializationNames(macros: MacroIndex): string[] {
  const names = new Set<string>();
  for (const { info } of macros.entries()) {
    if (info.kind !== 'materialization' || !info.name.startsWith(PREFIX)) continue;
    const rest = info.name.slice(PREFIX.length);
    const cut = rest.lastIndexOf('_');
    if (cut > 0 && (ADAPTERS as readonly string[]).includes(rest.slice(cut + 1)))
      names.add(rest.slice(0, cut));
  }
  return [...names];
}
