/**
 * Writing target/compiled: a compile leaves alone a file that already holds its node's SQL and
 * rewrites one that does not, and the result is the same tree a fresh compile writes.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileProject, writeFiles } from '../../src/compile/compile-project';
import { targetFromEnv } from '../../src/compile/target';
import { copyFixture, tempProject } from '../helpers/temp-project';

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const OLD = new Date('2001-02-03T04:05:06Z');

async function compile(dir: string) {
  return compileProject({
    projectDir: dir,
    target: { ...targetFromEnv({}), schema: 'analytics' },
    noParseCache: true,
  });
}

describe('target/compiled on a second compile', () => {
  it('keeps unchanged files (mtime untouched), rewrites a changed one, and matches a fresh compile', async () => {
    const copy = copyFixture('jaffle_shop');
    const fresh = copyFixture('jaffle_shop');
    try {
      const first = await compile(copy.dir);
      const compiledDir = path.join(first.targetDir, 'compiled');
      const files = listFiles(compiledDir);
      expect(files.length).toBe(first.compiled.size);
      // An old mtime on every file: a rewrite, however fast, moves it.
      for (const f of files) utimesSync(path.join(compiledDir, f), OLD, OLD);

      // stg_orders gains a column; orders (downstream) renders the same SQL.
      const model = path.join(copy.dir, 'models', 'staging', 'stg_orders.sql');
      const original = readFileSync(model, 'utf8');
      const edited = original.replace(/\bselect\b/i, 'select 1 as edited_marker,');
      expect(edited).not.toBe(original);
      writeFileSync(model, edited);
      // A file someone truncated is rewritten as well, though its model did not change.
      const truncated = path.join(compiledDir, 'jaffle_shop', 'models', 'staging', 'stg_customers.sql');
      writeFileSync(truncated, '');
      utimesSync(truncated, OLD, OLD);

      const second = await compile(copy.dir);
      const changed = path.join('jaffle_shop', 'models', 'staging', 'stg_orders.sql');
      const rewritten = [changed, path.relative(compiledDir, truncated)];
      for (const f of listFiles(compiledDir)) {
        const mtime = statSync(path.join(compiledDir, f)).mtime.getTime();
        if (rewritten.includes(f)) expect([f, mtime]).not.toEqual([f, OLD.getTime()]);
        else expect([f, mtime]).toEqual([f, OLD.getTime()]);
      }
      expect(readFileSync(path.join(compiledDir, changed), 'utf8')).toContain('edited_marker');
      expect(readFileSync(truncated, 'utf8')).toBe(
        second.compiled.get('model.jaffle_shop.stg_customers')!.sql,
      );

      // Byte for byte what a compile into an empty target/ writes.
      writeFileSync(path.join(fresh.dir, 'models', 'staging', 'stg_orders.sql'), edited);
      const third = await compile(fresh.dir);
      const freshDir = path.join(third.targetDir, 'compiled');
      expect(listFiles(compiledDir)).toEqual(listFiles(freshDir));
      for (const f of listFiles(freshDir)) {
        expect([f, readFileSync(path.join(compiledDir, f))]).toEqual([
          f,
          readFileSync(path.join(freshDir, f)),
        ]);
      }
    } finally {
      copy.cleanup();
      fresh.cleanup();
    }
  });
});

describe('writeFiles', () => {
  it('skips identical bytes (non-ASCII too), writes different ones of the same length, creates missing folders', () => {
    const p = tempProject({ 'a/x.sql': 'select 1', 'a/y.sql': 'select 2', 'a/z.sql': 'select é' });
    try {
      const x = path.join(p.dir, 'a', 'x.sql');
      const y = path.join(p.dir, 'a', 'y.sql');
      const z = path.join(p.dir, 'a', 'z.sql');
      const n = path.join(p.dir, 'b', 'c', 'n.sql');
      for (const f of [x, y, z]) utimesSync(f, OLD, OLD);
      const result = writeFiles([
        [x, 'select 1'],
        [y, 'select 3'],
        [z, 'select é'],
        [n, 'select 4'],
      ]);
      expect(result).toEqual({ written: 2, unchanged: 2 });
      expect(statSync(x).mtime.getTime()).toBe(OLD.getTime());
      expect(statSync(z).mtime.getTime()).toBe(OLD.getTime());
      expect(readFileSync(y, 'utf8')).toBe('select 3');
      expect(readFileSync(n, 'utf8')).toBe('select 4');
    } finally {
      p.cleanup();
    }
  });

  it('a write that fails names the file', () => {
    const p = tempProject({});
    try {
      // A folder where the file should be: reading it fails, writing it fails.
      const blocked = path.join(p.dir, 'out', 'blocked.sql');
      mkdirSync(blocked, { recursive: true });
      expect(() => writeFiles([[blocked, 'select 1']])).toThrow(blocked);
    } finally {
      p.cleanup();
    }
  });
});
