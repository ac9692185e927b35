/**
 * Resolves `packages.yml` / `dependencies.yml` into the list of packages a project is built from.
 *
 * MartQL installs nothing itself: `local:` packages are folders, npm packages (`- npm: "@scope/x"`)
 * and hub packages (`- package: dbt-labs/dbt_utils`) are looked up in `node_modules/` the way Node
 * finds modules (walking up from the declaring package), and hub or git packages already installed by
 * `dbt deps` are found in `dbt_packages/`. Dependencies of dependencies are followed breadth-first;
 * each package is loaded once, named by its own `dbt_project.yml`. Every requirer of a package is
 * kept with the `version:` range it asked for, so conflicts can name both sides.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MartqlError } from '../errors';
import { parseDbtProjectFile, type ParsedProjectFile } from './dbt-project-file';
import { readOptional } from './files';
import { checkVersions, installedVersion, readRange, type PackageRequirement } from './package-versions';
import type { PackageInfo } from './types';
import { isMapping, parseYaml, type LocatedYaml } from './yaml-file';

export type PackageSourceKind = 'local' | 'npm' | 'hub' | 'git' | 'tarball';

/** How a dependency was found, and what asked for it (absent for the root project). */
export interface PackageSource {
  kind: PackageSourceKind;
  /** The entry as written: the path, npm name, hub name, git URL or tarball URL. */
  spec: string;
  /** The installed version (package.json, else dbt_project.yml), when known. */
  version?: string;
  /** Every package that depends on it, with the range it asked for. */
  requirements: PackageRequirement[];
}

/** A package with what loading it needs beyond `PackageInfo`. */
export interface ResolvedPackage {
  info: PackageInfo;
  parsed: ParsedProjectFile;
  source?: PackageSource;
}

interface DependencyRef {
  kind: PackageSourceKind;
  spec: string;
  /** The `version:` range, for packages that take one. */
  range?: string;
  /** Absolute candidate folders, the first holding a `dbt_project.yml` wins. */
  candidates: string[];
  describe: string;
  notFoundHint: string;
  location: ReturnType<LocatedYaml['at']>;
}

/**
 * Loads the root package and every dependency, root first, then checks the version ranges every
 * requirer declared (see package-versions.ts). `label` names files in messages.
 */
export async function resolvePackages(
  root: ResolvedPackage,
  label: (absPath: string) => string,
  notes: string[],
): Promise<ResolvedPackage[]> {
  const installPath = path.resolve(root.info.root, root.parsed.packagesInstallPath);
  const out: ResolvedPackage[] = [root];
  const byDir = new Map([[await realpath(root.info.root), root]]);
  const byName = new Map([[root.info.name, root]]);
  for (let i = 0; i < out.length; i++) {
    const requirer = out[i].info.name;
    const refs = await readDependencies(out[i].info.root, installPath, label, notes);
    for (const ref of refs) {
      const dir = await firstProject(ref.candidates);
      if (!dir) {
        throw new MartqlError('PROJECT_CONFIG', `${ref.describe} was not found`, {
          location: ref.location,
          hint: ref.notFoundHint,
        });
      }
      const requirement = { requiredBy: requirer, range: ref.range, location: ref.location };
      const real = await realpath(dir);
      const same = byDir.get(real);
      if (same) {
        same.source?.requirements.push(requirement);
        continue;
      }
      const file = path.join(dir, 'dbt_project.yml');
      const parsed = parseDbtProjectFile(await fs.readFile(file, 'utf8'), label(file));
      const name = parsed.config.name;
      const existing = byName.get(name);
      if (existing !== undefined) {
        // One copy per name: the requirement applies to the copy that is loaded.
        notes.push(
          `${label(file)}: package ${name} is already loaded from ${label(existing.info.root)}; this copy is ignored`,
        );
        existing.source?.requirements.push(requirement);
        continue;
      }
      notes.push(...parsed.notes.filter((n) => !n.includes('profile is ignored')));
      const pkg: ResolvedPackage = {
        info: { name, root: dir, isRoot: false, config: parsed.config },
        parsed,
        source: {
          kind: ref.kind,
          spec: ref.spec,
          version: installedVersion(dir, parsed.config.version),
          requirements: [requirement],
        },
      };
      byDir.set(real, pkg);
      byName.set(name, pkg);
      out.push(pkg);
    }
  }
  checkVersions(
    out.flatMap((p) =>
      p.source
        ? [
            {
              name: p.info.name,
              shownPath: label(p.info.root),
              version: p.source.version,
              requirements: p.source.requirements,
            },
          ]
        : [],
    ),
    notes,
  );
  return out;
}

async function readDependencies(
  packageRoot: string,
  installPath: string,
  label: (absPath: string) => string,
  notes: string[],
): Promise<DependencyRef[]> {
  const files: { file: string; yaml: LocatedYaml; list: unknown[] }[] = [];
  for (const name of ['packages.yml', 'dependencies.yml']) {
    const abs = path.join(packageRoot, name);
    const text = await readOptional(abs);
    if (text === undefined) continue;
    const yaml = parseYaml(text, label(abs));
    const raw = yaml.value;
    if (raw === null) continue;
    if (!isMapping(raw))
      throw new MartqlError('PROJECT_CONFIG', `${name} must be a mapping`, { location: yaml.at(raw) });
    if (raw.projects !== undefined) {
      notes.push(`${yaml.file}: cross-project \`projects:\` dependencies are not supported and were ignored`);
    }
    const list = raw.packages;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new MartqlError('PROJECT_CONFIG', '`packages` must be a list', {
        location: yaml.atKey(raw, 'packages'),
      });
    }
    files.push({ file: yaml.file, yaml, list });
  }
  if (files.length > 1 && files.every((f) => f.list.length > 0)) {
    throw new MartqlError('PROJECT_CONFIG', 'packages are listed in both packages.yml and dependencies.yml', {
      location: files[1].yaml.at(files[1].list),
      hint: 'keep them in one of the two files',
    });
  }
  const refs: DependencyRef[] = [];
  for (const { yaml, list } of files) {
    list.forEach((entry, i) => refs.push(toRef(entry, yaml, yaml.atItem(list, i), packageRoot, installPath)));
  }
  return refs;
}

function toRef(
  entry: unknown,
  yaml: LocatedYaml,
  location: DependencyRef['location'],
  packageRoot: string,
  installPath: string,
): DependencyRef {
  if (!isMapping(entry)) {
    throw new MartqlError('PROJECT_CONFIG', 'a package entry must be a mapping (`- local: ../pkg`)', {
      location,
    });
  }
  const range = readRange(entry.version, location);
  if (typeof entry.local === 'string') {
    const dir = path.resolve(packageRoot, entry.local);
    return {
      kind: 'local',
      spec: entry.local,
      range,
      candidates: [dir],
      describe: `local package ${entry.local}`,
      notFoundHint: `no dbt_project.yml at ${dir}; the path is relative to ${packageRoot}`,
      location,
    };
  }
  if (typeof entry.npm === 'string') {
    return {
      kind: 'npm',
      spec: entry.npm,
      range,
      candidates: nodeModuleCandidates(packageRoot, [entry.npm]),
      describe: `npm package ${entry.npm}`,
      notFoundHint: `install it: npm install ${entry.npm}`,
      location,
    };
  }
  if (typeof entry.package === 'string') {
    const name = entry.package;
    const [org, pkg] = name.includes('/') ? name.split('/', 2) : [undefined, name];
    const moduleNames = org ? [`@${org}/${pkg}`, pkg, name] : [name];
    return {
      kind: 'hub',
      spec: name,
      range,
      candidates: [...nodeModuleCandidates(packageRoot, moduleNames), path.join(installPath, pkg)],
      describe: `package ${name}`,
      notFoundHint:
        `MartQL does not download packages: install it into node_modules (npm install <package>) ` +
        `or run \`dbt deps\` to fill ${path.basename(installPath)}/`,
      location,
    };
  }
  if (typeof entry.git === 'string' || typeof entry.tarball === 'string') {
    const source = String(entry.git ?? entry.tarball);
    const folder =
      typeof entry.name === 'string' ? entry.name : path.basename(source).replace(/\.(git|tar\.gz|tgz)$/, '');
    return {
      kind: entry.git !== undefined ? 'git' : 'tarball',
      spec: source,
      // A git package pins a `revision:`, not a version range.
      range: entry.git !== undefined ? undefined : range,
      candidates: [path.join(installPath, folder)],
      describe: `${entry.git !== undefined ? 'git' : 'tarball'} package ${source}`,
      notFoundHint: `MartQL does not download packages: run \`dbt deps\` or copy it into ${path.basename(installPath)}/${folder}`,
      location,
    };
  }
  throw new MartqlError(
    'PROJECT_CONFIG',
    'a package entry needs one of local:, npm:, package:, git: or tarball:',
    {
      location: yaml.at(entry),
    },
  );
}

/** `node_modules/<name>` in the folder and each of its parents, nearest first. */
function nodeModuleCandidates(from: string, names: string[]): string[] {
  const out: string[] = [];
  let dir = path.resolve(from);
  for (;;) {
    for (const name of names) out.push(path.join(dir, 'node_modules', ...name.split('/')));
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

async function firstProject(candidates: string[]): Promise<string | undefined> {
  for (const dir of candidates) {
    const stat = await fs.stat(path.join(dir, 'dbt_project.yml')).catch(() => undefined);
    if (stat?.isFile()) return dir;
  }
  return undefined;
}

async function realpath(dir: string): Promise<string> {
  return fs.realpath(dir).catch(() => path.resolve(dir));
}
