/** Writes throwaway dbt projects to temp folders for the loader tests. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** Writes `files` (relative path → contents) under a new temp folder and returns the folder. */
export function writeFiles(files: Record<string, string>, base?: string): string {
  const dir = base ?? mkdtempSync(path.join(tmpdir(), 'martql-project-'));
  if (!base) made.push(dir);
  for (const [rel, contents] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, contents);
  }
  return dir;
}

/** A project named `proj` with the given files; `dbt_project.yml` may be overridden. */
export function writeProject(
  files: Record<string, string>,
  projectYml = 'name: proj\nconfig-version: 2\n',
): string {
  return writeFiles({ 'dbt_project.yml': projectYml, ...files });
}

export function cleanUp(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Awaits `promise` and returns what it rejected with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
