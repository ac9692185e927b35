/**
 * The public API of project loading; everything outside `src/project/` imports from here.
 *
 * `loadProject` reads a dbt project from disk; `mergeConfigs` is the one config-merging rule, reused
 * by the compiler for `config()` calls; `resolveVar` and `resolveTreeConfig` answer the lookups that
 * need the whole project (variables by package, tree configs for nodes generated later).
 */
export { loadProject, type LoadProjectOptions } from './load-project';
export {
  mergeConfigs,
  normalizeConfig,
  normalizeConfigKey,
  defaultConfig,
  type DefaultsKind,
} from './merge-configs';
export { resolveVar, parseCliVars, type VarLookup } from './vars';
export { resolveTreeConfig } from './project-trees';
export { KNOWN_CONFIG_NAMES } from './config-tree';
export { mergeFreshness } from './sources';
export { parseYaml, LocatedYaml } from './yaml-file';
export * from './types';
