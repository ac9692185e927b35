/**
 * Context values that are the same for every render: dbt's helper functions and modules.
 *
 * They live on one shared object that each render's base context inherits from, so building a
 * render context costs only the per-node values.
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { MartqlError } from '../../errors';
import { jinjaReturn, splitArgs } from '../engine';
import { datetimeModule } from './datetime-module';
import { Relation, type RelationSpec } from './relation';

/** Python-style JSON: `", "` and `": "` separators, optional sorted keys, as dbt's `tojson`. */
export function pyJson(value: unknown, sortKeys = false): string {
  const encode = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (v instanceof Relation) return JSON.stringify(v.render());
    if (Array.isArray(v)) return `[${v.map(encode).join(', ')}]`;
    if (v instanceof Set) return encode([...v]);
    if (typeof v === 'object') {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function')
        return encode((v as { toJSON(): unknown }).toJSON());
      const keys = Object.keys(v as object);
      if (sortKeys) keys.sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${encode((v as Record<string, unknown>)[k])}`).join(', ')}}`;
    }
    if (typeof v === 'function') return 'null';
    return JSON.stringify(v);
  };
  return encode(value);
}

function raiseCompilerError(message: unknown): never {
  throw new MartqlError('COMPILER_ERROR', String(message));
}

/** `api.Column`: only the class-level helpers dbt code calls on it. */
const apiColumn = {
  translate_type: (dtype: string) => dtype,
  create: (name: string, dataType: string) => ({ name, data_type: dataType, dtype: dataType }),
};

/** Values that are the same in every render of every invocation. */
export function sharedGlobals(now: () => Date = () => new Date()): Record<string, unknown> {
  return {
    return: jinjaReturn,
    modules: { datetime: datetimeModule(now), re: pythonRe(), itertools: {} },
    exceptions: {
      raise_compiler_error: raiseCompilerError,
      raise_not_implemented: (msg: unknown) => {
        throw new MartqlError('JINJA_UNSUPPORTED', String(msg));
      },
      raise_database_error: (msg: unknown) => {
        throw new MartqlError('DATABASE', String(msg));
      },
      warn: (msg: unknown) => {
        process.emitWarning(String(msg), 'MartqlTemplateWarning');
        return '';
      },
      raise_fail_fast_error: raiseCompilerError,
    },
    api: {
      Relation: {
        create: (...raw: unknown[]) => {
          const { args, kwargs } = splitArgs(raw);
          const [database, schema, identifier, type] = args as (string | undefined)[];
          return Relation.create({
            database,
            schema,
            identifier,
            type,
            ...(kwargs as RelationSpec),
          } as RelationSpec);
        },
      },
      Column: apiColumn,
    },
    zip: (...lists: unknown[][]) => {
      const n = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
    },
    set: (items?: Iterable<unknown>) => new Set(items ?? []),
    try_set: (items?: Iterable<unknown>) => {
      try {
        return new Set(items ?? []);
      } catch {
        return null;
      }
    },
    tojson: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      return pyJson(args[0], Boolean(kwargs.sort_keys ?? args[1]));
    },
    fromjson: (text: string, fallback: unknown = null) => {
      try {
        return JSON.parse(text);
      } catch {
        return fallback;
      }
    },
    toyaml: (value: unknown) => YAML.stringify(value),
    fromyaml: (text: string, fallback: unknown = null) => {
      try {
        return YAML.parse(text);
      } catch {
        return fallback;
      }
    },
    local_md5: (text: string) => createHash('md5').update(String(text)).digest('hex'),
    print: (msg: unknown) => {
      process.stdout.write(`${String(msg)}\n`);
      return '';
    },
    dbt_version: '1.9.0',
  };
}

/** `modules.re`: the Python `re` functions dbt code uses, on JavaScript regular expressions. */
function pythonRe() {
  const compile = (pattern: string, flags = '') => new RegExp(pattern, flags);
  return {
    compile: (pattern: string) => {
      const re = compile(pattern);
      return {
        match: (s: string) => matchAt(new RegExp(`^(?:${re.source})`), s),
        search: (s: string) => matchAt(re, s),
        findall: (s: string) => findAll(re, s),
        sub: (repl: string, s: string) => s.replace(new RegExp(re.source, 'g'), repl),
      };
    },
    match: (pattern: string, s: string) => matchAt(compile(`^(?:${pattern})`), s),
    search: (pattern: string, s: string) => matchAt(compile(pattern), s),
    findall: (pattern: string, s: string) => findAll(compile(pattern), s),
    sub: (pattern: string, repl: string, s: string) => s.replace(compile(pattern, 'g'), repl),
    split: (pattern: string, s: string) => s.split(compile(pattern)),
    escape: (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    IGNORECASE: 'i',
  };
}

function matchAt(re: RegExp, s: string) {
  const m = re.exec(s);
  if (!m) return null;
  return {
    group: (i = 0) => m[i] ?? null,
    groups: () => m.slice(1),
    start: () => m.index,
    end: () => m.index + m[0].length,
  };
}

function findAll(re: RegExp, s: string): unknown[] {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return [...s.matchAll(global)].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0])));
}
