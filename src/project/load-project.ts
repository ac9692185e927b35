/**
 * `loadProject`: from a folder on disk to a `Project`, without rendering any Jinja.
 *
 * The steps run in the order their inputs become available: the root `dbt_project.yml`, then the
 * packages it depends on, then every package's files (listed and read concurrently, all packages
 * at once), then each YAML property file parsed once, then configs layered per node (defaults,
 * project trees, property `config:`), then sanity checks that need the whole picture (duplicate
 * names). Errors carry the file and line that caused them; things dbt only warns about are notes.
 */
import * as path from 'node:path';
import { MartqlError } from '../errors';
import { applyNodeProperties, checkUniqueNames } from './apply-properties';
import { fqnPrefixes } from './config-tree';
import { parseDbtProjectFile } from './dbt-project-file';
import { readOptional, toPosix } from './files';
import { seedNode, snapshotNodes, sqlNode, toProjectFile } from './nodes';
import { collectPackageFiles, type PackageFiles } from './package-files';
import { resolvePackages, type ResolvedPackage } from './packages';
import { ProjectTrees, rememberTrees } from './project-trees';
import { parsePropertyFile, type PropertyFile } from './properties';
import { parseSources } from './sources';
import type { ConfigTreeKind, Project, SeedFile, SqlNodeFile } from './types';
import { parseCliVars } from './vars';
import { yamlSnapshots } from './yaml-snapshots';
import { isMapping, parseYaml } from './yaml-file';

export interface LoadProjectOptions {
  /** `--vars`: a mapping, or its YAML/JSON text. */
  vars?: Record<string, unknown> | string;
}

export async function loadProject(dir: string, options: LoadProjectOptions = {}): Promise<Project> {
  const root = path.resolve(dir);
  const notes: string[] = [];
  const label = (absPath: string): string => toPosix(path.relative(root, absPath)) || '.';
  const cliVars = parseCliVars(options.vars);

  const projectFile = path.join(root, 'dbt_project.yml');
  const text = await readOptional(projectFile);
  if (text === undefined) {
    throw new MartqlError('PROJECT_CONFIG', `no dbt_project.yml in ${root}`, {
      hint: 'run martql from the project folder, or pass its path',
    });
  }
  const parsed = parseDbtProjectFile(text, 'dbt_project.yml');
  notes.push(...parsed.notes);
  const rootPackage: ResolvedPackage = {
    info: { name: parsed.config.name, root, isRoot: true, config: parsed.config },
    parsed,
  };
  const packages = await resolvePackages(rootPackage, label, notes);
  const files = await Promise.all(packages.map((p) => collectPackageFiles(p, label, notes)));

  const propertyFiles = files.flatMap((f) => f.propertyFiles);
  const parsedProperties = propertyFiles.map((file) =>
    parsePropertyFile(
      parseYaml(file.contents, label(file.absPath)),
      file.package,
      file.listed.folders,
      notes,
    ),
  );

  const all = <K extends keyof PackageFiles>(key: K) => files.flatMap((f) => f[key]);
  const models = all('models').map((f) => sqlNode(f, 'model'));
  const analyses = all('analyses').map((f) => sqlNode(f, 'analysis'));
  const snapshots = [
    ...all('snapshots').flatMap((f) => snapshotNodes(f, label(f.absPath), notes)),
    ...propertyFiles.flatMap((f, i) => yamlSnapshots(f, parsedProperties[i])),
  ];
  const singularTests = all('singularTests').map((f) => sqlNode(f, 'test'));
  const seeds = all('seeds').map(seedNode);

  const prefixes: Record<ConfigTreeKind, Set<string>> = {
    models: fqnPrefixes(models.map((n) => n.fqn)),
    seeds: fqnPrefixes(seeds.map((n) => n.fqn)),
    // Generic tests are generated later with fqns under their YAML file's folders.
    data_tests: fqnPrefixes([
      ...singularTests.map((n) => n.fqn),
      ...parsedProperties.map((p) => [p.package, ...p.folders]),
    ]),
    snapshots: fqnPrefixes(snapshots.map((n) => n.fqn)),
    sources: fqnPrefixes(sourceFqns(parsedProperties)),
  };
  const trees = new ProjectTrees(
    packages.map((p) => p.info),
    prefixes,
    notes,
  );
  const configure = <N extends SqlNodeFile | SeedFile>(kind: ConfigTreeKind, nodes: N[]): void => {
    for (const node of nodes) node.config = trees.apply(kind, node.package, node.fqn, node.config);
  };
  configure('models', models);
  configure('seeds', seeds);
  configure('snapshots', snapshots);
  configure('data_tests', singularTests);

  applyNodeProperties('models', models, parsedProperties, notes);
  applyNodeProperties('seeds', seeds, parsedProperties, notes);
  applyNodeProperties('snapshots', snapshots, parsedProperties, notes);
  applyNodeProperties('analyses', analyses, parsedProperties, notes);
  applyNodeProperties('data_tests', singularTests, parsedProperties, notes);

  checkUniqueNames([...models, ...seeds, ...snapshots], 'models, seeds or snapshots', label);
  checkUniqueNames(singularTests, 'singular tests', label);
  checkUniqueNames(analyses, 'analyses', label);

  const sources = parsedProperties.flatMap((p) =>
    parseSources(p, (pkg, fqn) => trees.apply('sources', pkg, fqn, {}), notes),
  );
  const sourceIds = new Map<string, string>();
  for (const s of sources) {
    const earlier = sourceIds.get(s.uniqueId);
    const here = `${s.location.file}:${s.location.line ?? ''}`;
    if (earlier) {
      throw new MartqlError(
        'DUPLICATE_NODE',
        `source ${s.sourceName}.${s.name} is declared twice: ${earlier} and ${here}`,
        {
          location: s.location,
        },
      );
    }
    sourceIds.set(s.uniqueId, here);
  }

  const project: Project = {
    root,
    name: parsed.config.name,
    config: parsed.config,
    packages: packages.map((p) => p.info),
    models,
    analyses,
    snapshots,
    singularTests,
    seeds,
    macros: all('macros').map(toProjectFile),
    macroProperties: parsedProperties.flatMap((p) => p.macros),
    sources,
    docs: all('docs').map(toProjectFile),
    propertyFiles: propertyFiles.map(toProjectFile),
    cliVars,
    notes,
  };
  rememberTrees(project, trees);
  return project;
}

/** Source table fqns, read before sources are parsed in full (their configs need the trees). */
function sourceFqns(files: PropertyFile[]): string[][] {
  const out: string[][] = [];
  for (const file of files) {
    for (const source of file.sources) {
      if (!isMapping(source) || typeof source.name !== 'string' || !Array.isArray(source.tables)) continue;
      for (const table of source.tables) {
        if (isMapping(table) && typeof table.name === 'string') {
          out.push([file.package, ...file.folders, source.name, table.name]);
        }
      }
    }
  }
  return out;
}
