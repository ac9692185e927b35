/**
 * The parse cache: the parsed nodes of the last parse, reused when nothing that could change them
 * has changed.
 *
 * dbt's partial parsing reuses per-file results and is a known source of stale manifests. MartQL
 * keys the cache on everything a parse reads instead: every file's checksum (nodes, YAML, seeds,
 * macros, the built-in macros), the `--vars`, the target, the MartQL version, and the values of the
 * environment variables templates read. Any difference re-parses the whole project, which takes
 * well under a second for thousands of models, so the cache never has to be clever.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ParsedNode } from '../graph/types';
import type { Project } from '../project/types';
import type { TargetInfo } from '../jinja/context/node-context';
import { builtinMacroFiles } from '../jinja/context/macro-index';

// 2: snapshots are parsed (one node per block, YAML snapshots); format-1 caches lack them.
const CACHE_FORMAT = 2;

interface CacheFile {
  format: number;
  key: string;
  env: Record<string, string | null>;
  nodes: ParsedNode[];
}

/** `flags` matter because templates may branch on `flags.WHICH` or `flags.FULL_REFRESH` while parsing. */
export function parseCacheKey(project: Project, target: TargetInfo, flags: Record<string, unknown>): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({ format: CACHE_FORMAT, version: martqlVersion(), target, vars: project.cliVars, flags }),
  );
  const files = [
    ...project.models,
    ...project.analyses,
    ...project.singularTests,
    ...project.snapshots,
    ...project.seeds,
    ...project.macros,
    ...(project.propertyFiles ?? []),
    ...builtinMacroFiles(),
  ];
  for (const file of files) hash.update(`${file.package}\0${file.path}\0${file.checksum}\n`);
  hash.update(JSON.stringify(project.config));
  for (const pkg of project.packages) hash.update(JSON.stringify(pkg.config));
  return hash.digest('hex');
}

function cachePath(project: Project): string {
  return path.resolve(project.root, project.config.targetPath, 'partial_parse.json');
}

export async function readParseCache(project: Project, key: string): Promise<ParsedNode[] | undefined> {
  let cache: CacheFile;
  try {
    cache = JSON.parse(await fs.readFile(cachePath(project), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cache.format !== CACHE_FORMAT || cache.key !== key) return undefined;
  for (const [name, value] of Object.entries(cache.env)) {
    if ((process.env[name] ?? null) !== value) return undefined;
  }
  return cache.nodes;
}

export async function writeParseCache(
  project: Project,
  key: string,
  envRead: Map<string, string | undefined>,
  nodes: ParsedNode[],
): Promise<void> {
  const file = cachePath(project);
  const cache: CacheFile = {
    format: CACHE_FORMAT,
    key,
    env: Object.fromEntries([...envRead].map(([k, v]) => [k, v ?? null])),
    nodes,
  };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(cache));
  await fs.rename(tmp, file);
}

let version: string | undefined;
function martqlVersion(): string {
  if (!version) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    version = (require('../../package.json') as { version: string }).version;
  }
  return version;
}
