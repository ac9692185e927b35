/**
 * `martql docs generate` and the server's on-demand docs share this: compile every node against the
 * warehouse (so introspective macros see what `run` would), read the catalog, and put both together
 * with the manifest into the site's data. `generateDocs` then writes dbt's artifacts
 * (`target/compiled/`, `target/manifest.json`, `target/catalog.json`) and the static site
 * (`target/docs/`: the page, its script and styles copied from `assets/docs/`, and `docs.json`);
 * `buildDocs` only returns the data and writes nothing.
 */
import { readdir, copyFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { compileProject, type CompileProjectResult } from '../compile/compile-project';
import { exposedModels } from '../graphql/schema';
import type { TargetInfo } from '../jinja/context/node-context';
import type { Warehouse } from '../warehouse';
import { writeFileAtomic } from './atomic-write';
import { readCatalog, writeCatalogJson, type CatalogJson } from './catalog';
import { collectDocBlocks } from './doc-blocks';
import { buildDocsData, type DocsData } from './docs-data';

/** The site's page, script and styles, shipped with the package. */
export const DOCS_ASSETS_DIR = path.resolve(__dirname, '..', '..', 'assets', 'docs');
export const DOCS_DATA_FILE = 'docs.json';

export interface DocsOptions {
  projectDir: string;
  warehouse: Warehouse;
  target?: TargetInfo;
  vars?: Record<string, unknown> | string;
  noParseCache?: boolean;
  log?: (message: string) => void;
}

export interface BuiltDocs {
  data: DocsData;
  catalog: CatalogJson;
  compile: CompileProjectResult;
}

export interface GeneratedDocs extends BuiltDocs {
  targetDir: string;
  manifestPath: string;
  catalogPath: string;
  siteDir: string;
}

async function build(options: DocsOptions, write: boolean): Promise<BuiltDocs> {
  const compile = await compileProject({
    projectDir: options.projectDir,
    vars: options.vars,
    target: options.target,
    session: options.warehouse,
    noParseCache: options.noParseCache,
    which: 'generate',
    log: options.log,
    write,
  });
  const { manifest, compiler, session } = compile;
  const compiled = new Map([...compile.compiled].map(([id, node]) => [id, node.sql]));
  // `compile` leaves ephemeral models out (nothing runs them alone); their docs page still shows
  // the SQL they inline.
  for (const node of manifest.nodes.values()) {
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      compiled.set(node.uniqueId, compiler.compile(node.uniqueId).sql);
    }
  }
  const generatedAt = new Date().toISOString();
  const invocationId = session.settings.invocationId;
  const catalog = await readCatalog(options.warehouse, manifest, { invocationId, generatedAt });
  const data = buildDocsData({
    manifest,
    catalog,
    compiled,
    graphqlFields: new Map(exposedModels(manifest).map((m) => [m.uniqueId, m.fieldName])),
    docBlocks: collectDocBlocks(compile.project.docs, compile.project.name),
    project: compile.project.name,
    generatedAt,
    invocationId,
  });
  return { data, catalog, compile };
}

/** The docs' data, from the project as it is now; writes nothing. */
export function buildDocs(options: DocsOptions): Promise<BuiltDocs> {
  return build(options, false);
}

/** Copies the site's files from `assets/docs/` (not recursing: the site is flat). */
async function copyAssets(siteDir: string): Promise<void> {
  await mkdir(siteDir, { recursive: true });
  for (const entry of await readdir(DOCS_ASSETS_DIR, { withFileTypes: true })) {
    if (entry.isFile() && !entry.name.startsWith('.')) {
      await copyFile(path.join(DOCS_ASSETS_DIR, entry.name), path.join(siteDir, entry.name));
    }
  }
}

/**
 * Compiles, reads the catalog and writes `target/compiled/`, `target/manifest.json`,
 * `target/catalog.json` and the static site in `target/docs/`. The data file is written last, so a
 * server that finds it also finds the page and its script.
 */
export async function generateDocs(options: DocsOptions): Promise<GeneratedDocs> {
  const built = await build(options, true);
  const { targetDir } = built.compile;
  const catalogPath = await writeCatalogJson(targetDir, built.catalog);
  const siteDir = path.join(targetDir, 'docs');
  await copyAssets(siteDir);
  await writeFileAtomic(siteDir, DOCS_DATA_FILE, JSON.stringify(built.data));
  return { ...built, targetDir, manifestPath: path.join(targetDir, 'manifest.json'), catalogPath, siteDir };
}
