/**
 * `martql deps`: resolve packages.yml / dependencies.yml (transitively), check version ranges, print
 * what was resolved and write target/packages.json (see src/project/deps.ts for why not a
 * package-lock.yml). MartQL installs nothing: npm installs npm packages, `dbt deps` hub and git ones.
 */
import * as path from 'node:path';
import { resolveDeps } from '../../project/deps';

export async function depsCommand(options: { projectDir: string }): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const { record, notes, recordPath, changes } = await resolveDeps(projectDir);
  const write = (line: string) => process.stdout.write(`${line}\n`);
  for (const note of notes) write(`note: ${note}`);
  if (record.packages.length === 0) {
    write('No packages: the project has no packages.yml or dependencies.yml entries.');
  } else {
    const rows = record.packages.map((p) => [p.name, p.version ?? '-', p.source, p.path]);
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 7));
    write(`Resolved ${rows.length} package${rows.length === 1 ? '' : 's'}:`);
    for (const r of rows)
      write(
        `  ${r
          .slice(0, 3)
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')}  ${r[3]}`,
      );
  }
  for (const change of changes) write(`changed since the last deps: ${change}`);
  write(`Wrote ${path.relative(projectDir, recordPath)}`);
}
