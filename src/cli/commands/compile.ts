/** `martql compile`: render the selected nodes to `target/compiled/` and write `target/manifest.json`. */
import * as path from 'node:path';
import { compileProject } from '../../compile/compile-project';
import type { Warehouse } from '../../warehouse';
import { openProjectWarehouse } from '../warehouse-from-env';
import { tuneV8ForOneShotCompile } from './compile-v8';

export interface CompileCommandOptions {
  projectDir: string;
  select?: string[];
  exclude?: string[];
  vars?: string;
  offline?: boolean;
}

export async function compileCommand(options: CompileCommandOptions): Promise<void> {
  tuneV8ForOneShotCompile();
  const projectDir = path.resolve(options.projectDir);
  let warehouse: Warehouse | undefined;
  try {
    if (!options.offline) warehouse = await openProjectWarehouse(projectDir);
    const started = performance.now();
    const result = await compileProject({
      projectDir,
      vars: options.vars,
      select: options.select,
      exclude: options.exclude,
      session: warehouse,
      which: 'compile',
      log: (msg) => process.stdout.write(`${msg}\n`),
    });
    for (const note of result.project.notes) process.stdout.write(`note: ${note}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const relative = path.relative(process.cwd(), path.join(result.targetDir, 'compiled')) || '.';
    process.stdout.write(
      `Compiled ${result.compiled.size} node${result.compiled.size === 1 ? '' : 's'} ` +
        `(${result.manifest.nodes.size} in the manifest) in ${seconds}s into ${relative}/\n`,
    );
  } finally {
    await warehouse?.close();
  }
}
