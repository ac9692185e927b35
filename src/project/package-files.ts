/**
 * Sorts the files of one package into what they are: models, seeds, macros, property files...
 *
 * A file's role comes from which `*-paths` setting its folder is listed under and from its
 * extension. Folders are listed once even when several settings name them (docs paths default to
 * every resource path), so the listing cost stays one walk per folder.
 */
import { listResourceFiles, readFiles, type ListedFile } from './files';
import type { ProjectFile } from './types';
import type { ResolvedPackage } from './packages';

type Role = 'model' | 'seed' | 'test' | 'analysis' | 'macro' | 'snapshot' | 'docs';

/** A read file with where it was found. */
export interface PackageFile extends ProjectFile {
  listed: ListedFile;
}

export interface PackageFiles {
  models: PackageFile[];
  analyses: PackageFile[];
  snapshots: PackageFile[];
  singularTests: PackageFile[];
  seeds: PackageFile[];
  macros: PackageFile[];
  docs: PackageFile[];
  propertyFiles: PackageFile[];
}

export async function collectPackageFiles(
  pkg: ResolvedPackage,
  label: (absPath: string) => string,
  notes: string[],
): Promise<PackageFiles> {
  const c = pkg.info.config;
  const roles = new Map<string, Set<Role>>();
  const add = (paths: string[], role: Role): void => {
    for (const p of paths) {
      const set = roles.get(p) ?? new Set<Role>();
      set.add(role);
      roles.set(p, set);
    }
  };
  add(c.modelPaths, 'model');
  add(c.seedPaths, 'seed');
  add(c.testPaths, 'test');
  add(c.analysisPaths, 'analysis');
  add(c.macroPaths, 'macro');
  add(c.snapshotPaths, 'snapshot');
  add(c.docsPaths, 'docs');

  const folders = [...roles.keys()];
  const listed = (await Promise.all(folders.map((f) => listResourceFiles(pkg.info.root, f)))).flat();
  // Nested resource folders (`models` and `models/extra`) would list a file twice; keep the first.
  const unique = new Map<string, ListedFile>();
  for (const f of listed) if (!unique.has(f.absPath)) unique.set(f.absPath, f);

  const out: PackageFiles = {
    models: [],
    analyses: [],
    snapshots: [],
    singularTests: [],
    seeds: [],
    macros: [],
    docs: [],
    propertyFiles: [],
  };
  const wanted: { listed: ListedFile; bucket: keyof PackageFiles }[] = [];
  for (const f of unique.values()) {
    const bucket = classify(f, roles.get(f.resourcePath) ?? new Set(), label, notes);
    if (bucket) wanted.push({ listed: f, bucket });
  }
  const read = await readFiles(
    wanted.map((w) => w.listed),
    pkg.info.name,
  );
  read.forEach((file, i) => out[wanted[i].bucket].push({ ...file, listed: wanted[i].listed }));
  for (const list of Object.values(out) as PackageFile[][])
    list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

function classify(
  f: ListedFile,
  roles: Set<Role>,
  label: (absPath: string) => string,
  notes: string[],
): keyof PackageFiles | undefined {
  switch (f.ext) {
    case '.sql':
      if (roles.has('model')) return 'models';
      if (roles.has('snapshot')) return 'snapshots';
      if (roles.has('analysis')) return 'analyses';
      // Generic tests live in `<test-path>/generic/` and are macros, not singular tests.
      if (roles.has('test')) return f.folders[0] === 'generic' ? 'macros' : 'singularTests';
      if (roles.has('macro')) return 'macros';
      return undefined;
    case '.csv':
      return roles.has('seed') ? 'seeds' : undefined;
    case '.yml':
    case '.yaml':
      return roles.size === 1 && roles.has('docs') ? undefined : 'propertyFiles';
    case '.md':
      return roles.has('docs') ? 'docs' : undefined;
    case '.ts':
      // TypeScript models (src/tsmodel): computations SQL cannot express well. Declarations are not
      // models, and neither are modules named `_x.ts`: helpers that several models import.
      if (roles.has('model') && !f.path.endsWith('.d.ts') && !f.stem.startsWith('_')) return 'models';
      return undefined;
    case '.py':
      if (roles.has('model'))
        notes.push(`${label(f.absPath)}: Python models are not supported; the file was skipped`);
      return undefined;
    default:
      return undefined;
  }
}
