/**
 * The compiled config trees of every package, and the one function that layers them for a node.
 *
 * For a node of package P the layers are, outermost first: the kind's defaults, P's own
 * `dbt_project.yml` tree (when P is a dependency), then the root project's tree, which may configure
 * P's nodes under P's name and always wins. The graph builder needs the same resolution later for
 * generic tests (their fqns only exist once tests are generated), so `resolveTreeConfig` is public
 * and keeps the compiled trees of a loaded project in a WeakMap rather than on the Project itself.
 */
import { applyTree, compileTree, fqnPrefixes, type CompiledTree } from './config-tree';
import { defaultConfig, type DefaultsKind } from './merge-configs';
import type { ConfigTreeKind, NodeConfig, PackageInfo, Project } from './types';

const KINDS: ConfigTreeKind[] = ['models', 'seeds', 'data_tests', 'snapshots', 'sources'];

export class ProjectTrees {
  private readonly root = new Map<ConfigTreeKind, CompiledTree>();
  private readonly own = new Map<string, CompiledTree>();
  private readonly rootName: string;

  /** `prefixes` holds, per kind, the fqn prefixes of every node of that kind in every package. */
  constructor(packages: PackageInfo[], prefixes: Record<ConfigTreeKind, Set<string>>, notes: string[]) {
    const rootPackage = packages.find((p) => p.isRoot) ?? packages[0];
    this.rootName = rootPackage.name;
    for (const kind of KINDS) {
      for (const pkg of packages) {
        const tree = pkg.config.configTrees[kind];
        if (Object.keys(tree).length === 0) continue;
        // Only the root project's stray paths are worth a note; a package's are its own business.
        const sink = pkg.isRoot ? notes : [];
        const compiled = compileTree(tree, prefixes[kind], `dbt_project.yml ${kind}`, sink);
        if (pkg.isRoot) this.root.set(kind, compiled);
        else this.own.set(`${kind}\u0000${pkg.name}`, compiled);
      }
    }
  }

  /** `base` with the tree layers for a node of `packageName` at `fqn` applied. */
  apply<T extends Record<string, unknown>>(
    kind: ConfigTreeKind,
    packageName: string,
    fqn: string[],
    base: T,
  ): T {
    const own = packageName === this.rootName ? undefined : this.own.get(`${kind}\u0000${packageName}`);
    return applyTree(applyTree(base, own, fqn), this.root.get(kind), fqn);
  }
}

const cache = new WeakMap<Project, ProjectTrees>();

/** @internal loadProject registers the trees it compiled so later lookups reuse them. */
export function rememberTrees(project: Project, trees: ProjectTrees): void {
  cache.set(project, trees);
}

const DEFAULTS_BY_TREE: Record<Exclude<ConfigTreeKind, 'sources'>, DefaultsKind> = {
  models: 'model',
  seeds: 'seed',
  data_tests: 'test',
  snapshots: 'snapshot',
};

/**
 * The config a node would get from defaults and the `dbt_project.yml` trees alone, for a node of
 * `packageName` with the given fqn (for example a generic test the graph builder generates:
 * `[package, ...folders of its YAML file, test name]`).
 */
export function resolveTreeConfig(
  project: Project,
  kind: ConfigTreeKind,
  packageName: string,
  fqn: string[],
): NodeConfig {
  let trees = cache.get(project);
  if (!trees) {
    trees = new ProjectTrees(project.packages, prefixesOf(project), []);
    cache.set(project, trees);
  }
  const base: NodeConfig =
    kind === 'sources'
      ? { enabled: true, materialized: 'source', tags: [], meta: {}, pre_hook: [], post_hook: [] }
      : defaultConfig(DEFAULTS_BY_TREE[kind]);
  return trees.apply(kind, packageName, fqn, base);
}

/** The fqn prefixes of a loaded project's nodes, per tree kind. */
export function prefixesOf(
  project: Pick<Project, 'models' | 'seeds' | 'singularTests' | 'snapshots' | 'sources'>,
) {
  return {
    models: fqnPrefixes(project.models.map((n) => n.fqn)),
    seeds: fqnPrefixes(project.seeds.map((n) => n.fqn)),
    data_tests: fqnPrefixes(project.singularTests.map((n) => n.fqn)),
    snapshots: fqnPrefixes(project.snapshots.map((n) => n.fqn)),
    sources: fqnPrefixes(project.sources.map((n) => n.fqn ?? [n.package, n.sourceName, n.name])),
  };
}
