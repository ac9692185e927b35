/**
 * `martql deps`: resolve a project's packages (local, npm, hub and git packages already on disk,
 * and their dependencies), check their version ranges, and keep a record of the result.
 *
 * MartQL installs nothing (npm or `dbt deps` do), so the record is not an install pin like dbt's
 * `package-lock.yml`: it is `target/packages.json`, what this project resolved to (name, version,
 * path, who required it with which range), next to `manifest.json`. It stays out of
 * `package-lock.yml` on purpose, because `dbt deps` reads that file back as install instructions
 * and a project may use both tools. Comparing the new record with the previous one tells what
 * changed since the last `martql deps`.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MartqlError } from '../errors';
import { parseDbtProjectFile } from './dbt-project-file';
import { readOptional, toPosix } from './files';
import { resolvePackages, type PackageSourceKind, type ResolvedPackage } from './packages';

export interface ResolvedDependency {
  name: string;
  version: string | null;
  source: PackageSourceKind;
  /** The entry as written in packages.yml. */
  spec: string;
  /** The package's folder, relative to the project root. */
  path: string;
  requiredBy: { package: string; version: string | null; file: string; line: number | null }[];
}

export interface DepsRecord {
  metadata: { generated_at: string; project: string; packages_files_sha256: string };
  packages: ResolvedDependency[];
}

export interface DepsResult {
  record: DepsRecord;
  notes: string[];
  /** Where the record was written. */
  recordPath: string;
  /** Differences from the previous record (`added x 1.0.0`, `x 1.0.0 -> 1.1.0`, `removed x`). */
  changes: string[];
}

/** Resolves the packages of the project in `projectDir` and writes `target/packages.json`. */
export async function resolveDeps(projectDir: string): Promise<DepsResult> {
  const root = path.resolve(projectDir);
  const label = (absPath: string): string => toPosix(path.relative(root, absPath)) || '.';
  const text = await readOptional(path.join(root, 'dbt_project.yml'));
  if (text === undefined) {
    throw new MartqlError('PROJECT_CONFIG', `no dbt_project.yml in ${root}`, {
      hint: 'run martql from the project folder, or pass its path',
    });
  }
  const parsed = parseDbtProjectFile(text, 'dbt_project.yml');
  const notes = [...parsed.notes];
  const packages = await resolvePackages(
    { info: { name: parsed.config.name, root, isRoot: true, config: parsed.config }, parsed },
    label,
    notes,
  );
  const record: DepsRecord = {
    metadata: {
      generated_at: new Date().toISOString(),
      project: parsed.config.name,
      packages_files_sha256: await packagesFilesHash(packages),
    },
    packages: packages.flatMap((p) => (p.source ? [dependency(p, label)] : [])),
  };
  const recordPath = path.resolve(root, parsed.config.targetPath, 'packages.json');
  const previous = await readOptional(recordPath);
  const changes = previous === undefined ? [] : compare(JSON.parse(previous) as DepsRecord, record);
  await fs.mkdir(path.dirname(recordPath), { recursive: true });
  // Written aside and renamed, so a concurrent reader never sees half a record.
  const tmp = `${recordPath}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await fs.rename(tmp, recordPath);
  return { record, notes, recordPath, changes };
}

function dependency(p: ResolvedPackage, label: (absPath: string) => string): ResolvedDependency {
  const source = p.source!;
  return {
    name: p.info.name,
    version: source.version ?? null,
    source: source.kind,
    spec: source.spec,
    path: label(p.info.root),
    requiredBy: source.requirements.map((r) => ({
      package: r.requiredBy,
      version: r.range ?? null,
      file: r.location.file,
      line: r.location.line ?? null,
    })),
  };
}

/** A hash of every packages.yml / dependencies.yml that took part, to tell a stale record. */
async function packagesFilesHash(packages: ResolvedPackage[]): Promise<string> {
  const hash = createHash('sha256');
  for (const p of packages) {
    for (const name of ['packages.yml', 'dependencies.yml']) {
      const text = await readOptional(path.join(p.info.root, name));
      if (text !== undefined) hash.update(`${p.info.name}/${name}\n${text}\n`);
    }
  }
  return hash.digest('hex');
}

function compare(before: DepsRecord, after: DepsRecord): string[] {
  const old = new Map((before.packages ?? []).map((p) => [p.name, p]));
  const changes: string[] = [];
  for (const p of after.packages) {
    const was = old.get(p.name);
    old.delete(p.name);
    if (!was) changes.push(`added ${p.name} ${p.version ?? ''}`.trim());
    else if (was.version !== p.version || was.path !== p.path) {
      changes.push(`${p.name} ${was.version ?? '?'} (${was.path}) -> ${p.version ?? '?'} (${p.path})`);
    }
  }
  for (const name of old.keys()) changes.push(`removed ${name}`);
  return changes;
}
