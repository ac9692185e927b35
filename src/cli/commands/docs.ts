/**
 * `martql docs generate`: compile every node against the warehouse, read the catalog, and write
 * `target/manifest.json`, `target/catalog.json` and the static docs site in `target/docs/`, which
 * `martql serve` then serves at `/docs`.
 */
import * as path from 'node:path';
import { generateDocs } from '../../docs';
import { openProjectWarehouse } from '../warehouse-from-env';

export interface DocsGenerateOptions {
  projectDir: string;
  vars?: string;
}

export async function docsGenerateCommand(options: DocsGenerateOptions): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const warehouse = await openProjectWarehouse(projectDir);
  try {
    const started = performance.now();
    const docs = await generateDocs({
      projectDir,
      warehouse,
      vars: options.vars,
      log: (msg) => process.stdout.write(`${msg}\n`),
    });
    for (const note of docs.compile.project.notes) process.stdout.write(`note: ${note}\n`);
    const shown = (file: string) => {
      const relative = path.relative(process.cwd(), file);
      return relative.startsWith('..') ? file : relative || '.';
    };
    const relations = Object.keys(docs.catalog.nodes).length + Object.keys(docs.catalog.sources).length;
    const missing = docs.data.nodes.filter((n) => n.relation !== null && n.relationType === null);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stdout.write(
      `Wrote ${shown(docs.manifestPath)}, ${shown(docs.catalogPath)} (${relations} relations) and the site in ` +
        `${shown(docs.siteDir)}/ (${docs.data.nodes.length} nodes, ${docs.data.tests.length} tests) in ${seconds}s\n`,
    );
    if (missing.length > 0) {
      process.stdout.write(
        `note: ${missing.length} relation${missing.length === 1 ? ' is' : 's are'} not in the warehouse ` +
          `(never built or not loaded), so ${missing.length === 1 ? 'it has' : 'they have'} no column types: ` +
          `${missing
            .slice(0, 5)
            .map((n) => n.label)
            .join(', ')}${missing.length > 5 ? ', ...' : ''}\n`,
      );
    }
    process.stdout.write('Serve them with `martql serve` and open /docs\n');
  } finally {
    await warehouse.close();
  }
}
