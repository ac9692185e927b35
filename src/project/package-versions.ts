/**
 * Version requirements between packages: reading `version:` ranges from `packages.yml`, finding the
 * version a package has on disk, and reporting requirements that cannot all hold.
 *
 * MartQL installs nothing, so a range cannot steer what is installed; it can only be checked. The
 * checks run with every load (not only in `martql deps`) because a build against a package outside
 * the range its requirer declared is the bug ranges exist to prevent. Ranges are npm's (`semver`),
 * which reads dbt's forms too: `">=1.0.0"`, `"1.1.1"`, and a list meaning all of its items.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { MartqlError, type SourceLocation } from '../errors';

/** One package asking for another (`version` is the range, when it gave one). */
export interface PackageRequirement {
  /** The requiring package's name. */
  requiredBy: string;
  range?: string;
  location: SourceLocation;
}

/** A dependency as far as version checks care: its name, installed version and requirements. */
export interface VersionedPackage {
  name: string;
  /** Where it was loaded from, as shown in messages. */
  shownPath: string;
  version?: string;
  requirements: PackageRequirement[];
}

/** The `version:` of a package entry as one npm range; undefined when absent. */
export function readRange(value: unknown, location: SourceLocation): string | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const parts = items.map((v) => (typeof v === 'number' || typeof v === 'string' ? String(v).trim() : ''));
  const range = parts.join(' ');
  if (parts.some((p) => p === '') || semver.validRange(range) === null) {
    throw new MartqlError('PROJECT_CONFIG', `version ${JSON.stringify(value)} is not a version range`, {
      location,
      hint: 'write an exact version ("1.1.1"), a range (">=1.0.0 <2.0.0") or a list of ranges',
    });
  }
  return range;
}

/**
 * The version installed in `dir`: its `package.json` version (what npm installed) when there is
 * one, else the `version:` of its `dbt_project.yml`.
 */
export function installedVersion(dir: string, projectVersion: string | undefined): string | undefined {
  let fromNpm: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') fromNpm = pkg.version;
  } catch {
    // No package.json (a local or dbt_packages package): the dbt_project.yml version applies.
  }
  return fromNpm ?? projectVersion;
}

function where(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

function asSemver(version: string): string | null {
  return semver.valid(version) ?? semver.valid(semver.coerce(version));
}

/**
 * Fails on the first package whose requirements conflict (two ranges with no version in common)
 * or exclude the installed version, naming the requirers, their ranges and the installed version.
 * A range on a package with no readable version is a note: it cannot be checked.
 */
export function checkVersions(packages: VersionedPackage[], notes: string[]): void {
  for (const pkg of packages) {
    const ranged = pkg.requirements.filter((r) => r.range !== undefined);
    if (ranged.length === 0) continue;
    const installed = pkg.version === undefined ? undefined : asSemver(pkg.version);
    const describe = (r: PackageRequirement) => `${r.requiredBy} requires ${r.range} (${where(r.location)})`;
    const installedText = pkg.version === undefined ? 'no version' : `version ${pkg.version}`;
    for (let i = 0; i < ranged.length; i++) {
      for (let j = i + 1; j < ranged.length; j++) {
        const [a, b] = [ranged[i], ranged[j]];
        if (semver.intersects(a.range!, b.range!)) continue;
        throw new MartqlError(
          'PROJECT_CONFIG',
          `package ${pkg.name} has incompatible version requirements: ${describe(a)} and ${describe(b)}; ` +
            `installed: ${installedText} at ${pkg.shownPath}`,
          { location: b.location, hint: `no version satisfies both; change one of the two ranges` },
        );
      }
    }
    if (installed === null || installed === undefined) {
      notes.push(
        `package ${pkg.name} at ${pkg.shownPath} has ${pkg.version === undefined ? 'no version' : `version '${pkg.version}', not a semantic version`}; ` +
          `${ranged.map(describe).join(' and ')} could not be checked`,
      );
      continue;
    }
    const unmet = ranged.find((r) => !semver.satisfies(installed, r.range!));
    if (unmet) {
      throw new MartqlError(
        'PROJECT_CONFIG',
        `package ${pkg.name} ${pkg.version} at ${pkg.shownPath} is outside the range its requirer asks for: ${describe(unmet)}`,
        { location: unmet.location, hint: `install a version that satisfies ${unmet.range}` },
      );
    }
  }
}
