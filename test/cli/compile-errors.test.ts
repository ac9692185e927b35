/**
 * Bad input through the real `martql compile` command: one clear message naming the file and line,
 * exit code 1, and nothing half-written in target/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { tempProject } from '../helpers/temp-project';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'martql.js');

async function compile(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, 'compile', '--offline', '--project-dir', dir], {
      env: { ...process.env, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const GOOD = { 'models/a.sql': 'select 1 as id\n', 'models/b.sql': "select * from {{ ref('a') }}\n" };

describe('martql compile errors', () => {
  const cases: { name: string; files: Record<string, string>; expect: RegExp[] }[] = [
    {
      name: 'Jinja syntax error',
      files: { 'models/b.sql': "select 1\nfrom {{ ref('a') }\n" },
      expect: [/JINJA_SYNTAX/, /models\/b\.sql:2/],
    },
    {
      name: 'unknown ref',
      files: { 'models/b.sql': "select 1\n\nfrom {{ ref('aa') }}\n" },
      expect: [/UNKNOWN_REF/, /models\/b\.sql:3/, /'aa'/, /did you mean 'a'/],
    },
    {
      name: 'unknown macro',
      files: {
        'models/b.sql': "select\n  {{ cents_to_dolars('x') }}\nfrom {{ ref('a') }}\n",
        'macros/m.sql': '{% macro cents_to_dollars(c) %}{{ c }}/100{% endmacro %}\n',
      },
      expect: [/UNKNOWN_MACRO/, /models\/b\.sql:2/, /cents_to_dolars/, /did you mean 'cents_to_dollars'/],
    },
    {
      name: 'cycle',
      files: { 'models/a.sql': "select * from {{ ref('b') }}\n" },
      expect: [/CYCLE/, /a -> b -> a|b -> a -> b/],
    },
    {
      name: 'missing var',
      files: { 'models/b.sql': "select 1\nwhere x > {{ var('start') }}\n" },
      expect: [/MISSING_VAR/, /models\/b\.sql/, /'start'/],
    },
    {
      name: 'bad YAML',
      files: { 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns: [\n' },
      expect: [/YAML_SYNTAX/, /models\/schema\.yml:\d+/],
    },
  ];

  it.each(cases)(
    '$name: one message with path and line, exit 1, target/ untouched',
    async ({ files, expect: patterns }) => {
      const project = tempProject(GOOD);
      try {
        const first = await compile(project.dir);
        expect(first.code).toBe(0);
        const compiledB = path.join(project.dir, 'target', 'compiled', 'demo', 'models', 'b.sql');
        const before = readFileSync(compiledB, 'utf8');
        const manifestBefore = readFileSync(path.join(project.dir, 'target', 'manifest.json'), 'utf8');

        for (const [rel, text] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(project.dir, rel)), { recursive: true });
          writeFileSync(path.join(project.dir, rel), text);
        }
        const second = await compile(project.dir);
        expect(second.code).toBe(1);
        for (const p of patterns) expect(second.stderr).toMatch(p);
        expect(second.stderr.trim().split('\n')[0]).toMatch(/^error\[[A-Z_]+\]/);
        // Nothing half-written: the previous compile's outputs are exactly as they were.
        expect(readFileSync(compiledB, 'utf8')).toBe(before);
        expect(readFileSync(path.join(project.dir, 'target', 'manifest.json'), 'utf8')).toBe(manifestBefore);
        expect(readdirSync(path.join(project.dir, 'target')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        expect(existsSync(path.join(project.dir, 'target', 'compiled'))).toBe(true);
      } finally {
        project.cleanup();
      }
    },
  );
});
