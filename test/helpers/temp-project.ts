/** Writes a small project into a temp directory: `{ 'models/a.sql': 'select 1' }`. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const BASIC_PROJECT_YML = 'name: demo\nversion: "1.0"\nconfig-version: 2\n';

export function tempProject(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'martql-test-'));
  const all = { 'dbt_project.yml': BASIC_PROJECT_YML, ...files };
  for (const [rel, text] of Object.entries(all)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of a fixture project (and its sibling local packages) in a temp directory. */
export function copyFixture(name: string): { dir: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'martql-fixture-'));
  const fixtures = path.resolve(__dirname, '..', 'fixtures');
  cpSync(fixtures, root, { recursive: true });
  return { dir: path.join(root, name), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
