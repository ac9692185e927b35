/**
 * Python methods of str, list and dict, looked up by `x.method(...)` in templates.
 *
 * dbt code calls them everywhere ('a.b'.split('.', 1), ', '.join(cols), kwargs.get('x', 0),
 * cols.append(c)). JS has look-alikes with different semantics (split's limit, replace's first-only),
 * so each is reimplemented with Python's behaviour. An object's own JS methods win over these
 * (see runtime.ts); these apply to strings, arrays and dicts only.
 */
import { PyError, typeError, valueError } from './py/errors';
import { strFormat } from './py/format';
import { dictKey, pyRepr } from './py/str';
import { order, pyEq } from './py/truth';
import { isTruthy } from './py/truth';
import { strVal, toNum, tuple, typeName } from './py/values';
import { toList } from './py/iter';

/** Python methods that mutate in place return None. */
const done = (_effect: unknown): null => null;

export type PyMethod = (self: any, args: unknown[], kwargs: Record<string, unknown>) => unknown;

const WS = ' \t\n\r\x0b\x0c';

function str(v: unknown, what: string): string {
  const s = strVal(v);
  if (s === undefined) throw typeError(`${what} arg must be None or str, not ${typeName(v)}`);
  return s;
}

function stripChars(self: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : str(chars, 'strip');
  let a = 0;
  let b = self.length;
  if (left) while (a < b && set.includes(self[a])) a++;
  if (right) while (b > a && set.includes(self[b - 1])) b--;
  return self.slice(a, b);
}

function split(self: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(toNum(maxsplit));
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = self.replace(/^\s+/, '');
    while (rest !== '') {
      if (max >= 0 && out.length === max) {
        out.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const s = str(sep, 'split');
  if (s === '') throw valueError('empty separator');
  const parts = self.split(s);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(s)];
}

function rsplit(self: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(toNum(maxsplit));
  if (max < 0) return split(self, sep, -1);
  const rev = [...self].reverse().join('');
  const revSep = sep === undefined || sep === null ? sep : [...str(sep, 'rsplit')].reverse().join('');
  return split(rev, revSep, max)
    .map((p) => [...p].reverse().join(''))
    .reverse();
}

function prefixTest(self: string, arg: unknown, test: (s: string, p: string) => boolean): boolean {
  if (Array.isArray(arg)) return arg.some((p) => test(self, str(p, 'startswith')));
  return test(self, str(arg, 'startswith'));
}

function find(self: string, sub: unknown, from: number): number {
  return self.indexOf(str(sub, 'find'), from);
}

export const strMethods: Record<string, PyMethod> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s: string) =>
    [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  strip: (s, [c]) => stripChars(s, c, true, true),
  lstrip: (s, [c]) => stripChars(s, c, true, false),
  rstrip: (s, [c]) => stripChars(s, c, false, true),
  split: (s, [sep, max], kw) => split(s, sep ?? kw.sep, max ?? kw.maxsplit),
  rsplit: (s, [sep, max], kw) => rsplit(s, sep ?? kw.sep, max ?? kw.maxsplit),
  splitlines: (s: string) => s.split(/\r\n|\r|\n/).filter((p, i, a) => i < a.length - 1 || p !== ''),
  replace: (s: string, [a, b, count]) => {
    const parts = s.split(str(a, 'replace'));
    const n = count === undefined || Number(toNum(count)) < 0 ? parts.length : Number(toNum(count)) + 1;
    return (
      parts.slice(0, n).join(str(b, 'replace')) +
      (n < parts.length ? str(a, 'replace') + parts.slice(n).join(str(a, 'replace')) : '')
    );
  },
  startswith: (s, [p]) => prefixTest(s, p, (x, y) => x.startsWith(y)),
  endswith: (s, [p]) => prefixTest(s, p, (x, y) => x.endsWith(y)),
  find: (s, [sub, start]) => find(s, sub, Number(toNum(start) ?? 0)),
  rfind: (s: string, [sub]) => s.lastIndexOf(str(sub, 'rfind')),
  index: (s, [sub, start]) => {
    const i = find(s, sub, Number(toNum(start) ?? 0));
    if (i < 0) throw valueError('substring not found');
    return i;
  },
  count: (s: string, [sub]) => {
    const t = str(sub, 'count');
    return t === '' ? s.length + 1 : s.split(t).length - 1;
  },
  format: (s, args, kw) => strFormat(s, args, kw),
  join: (s: string, [items]) =>
    toList(items)
      .map((x, i) => {
        const v = strVal(x);
        if (v === undefined)
          throw typeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
        return v;
      })
      .join(s),
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p, c) => p + c.toUpperCase()),
  capitalize: (s: string) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  isdigit: (s: string) => /^\d+$/.test(s),
  isnumeric: (s: string) => /^\d+$/.test(s),
  isdecimal: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^[\p{L}]+$/u.test(s),
  isalnum: (s: string) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s: string) => /^\s+$/.test(s),
  islower: (s: string) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  isidentifier: (s: string) => /^[A-Za-z_]\w*$/.test(s),
  zfill: (s: string, [w]) => {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(Number(toNum(w)) - sign.length, '0');
  },
  ljust: (s: string, [w, f]) => s.padEnd(Number(toNum(w)), (f as string) ?? ' '),
  rjust: (s: string, [w, f]) => s.padStart(Number(toNum(w)), (f as string) ?? ' '),
  center: (s: string, [w, f]) => {
    const gap = Math.max(0, Number(toNum(w)) - s.length);
    const fill = (f as string) ?? ' ';
    const left = Math.floor(gap / 2) + (gap % 2 && s.length % 2 ? 1 : 0);
    return fill.repeat(left) + s + fill.repeat(gap - left);
  },
  partition: (s: string, [sep]) => {
    const i = s.indexOf(str(sep, 'partition'));
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + (sep as string).length)]);
  },
  rpartition: (s: string, [sep]) => {
    const i = s.lastIndexOf(str(sep, 'rpartition'));
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + (sep as string).length)]);
  },
  removeprefix: (s: string, [p]) =>
    s.startsWith(str(p, 'removeprefix')) ? s.slice((p as string).length) : s,
  removesuffix: (s: string, [p]) =>
    str(p, 'removesuffix') !== '' && s.endsWith(p as string) ? s.slice(0, -(p as string).length) : s,
  encode: (s) => s,
};

function listIndex(self: unknown[], x: unknown): number {
  const i = self.findIndex((y) => pyEq(y, x));
  if (i < 0) throw valueError(`${pyRepr(x)} is not in list`);
  return i;
}

export const listMethods: Record<string, PyMethod> = {
  append: (l, [x]) => done(l.push(x)),
  extend: (l, [xs]) => done(l.push(...toList(xs))),
  insert: (l, [i, x]) => {
    const n = Number(toNum(i));
    l.splice(n < 0 ? Math.max(0, l.length + n) : n, 0, x);
    return null;
  },
  pop: (l, [i]) => {
    if (!l.length) throw new PyError('IndexError', 'pop from empty list');
    const n = i === undefined ? l.length - 1 : Number(toNum(i));
    return l.splice(n < 0 ? l.length + n : n, 1)[0];
  },
  remove: (l, [x]) => done(l.splice(listIndex(l, x), 1)),
  index: (l, [x]) => listIndex(l, x),
  count: (l: unknown[], [x]) => l.filter((y) => pyEq(y, x)).length,
  reverse: (l) => done(l.reverse()),
  sort: (l: unknown[], _a, kw) => {
    l.sort((a, b) => order('<', a, b));
    if (isTruthy(kw.reverse)) l.reverse();
    return null;
  },
  copy: (l: unknown[]) => l.slice(),
  clear: (l: unknown[]) => done(l.splice(0)),
};

function missingKey(k: unknown): never {
  throw new PyError('KeyError', pyRepr(k));
}

export const dictMethods: Record<string, PyMethod> = {
  items: (d) => Object.keys(d).map((k) => tuple([k, d[k]])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.keys(d).map((k) => d[k]),
  get: (d, [k, dflt]) => {
    const key = dictKey(k);
    return key in d && !inherited(d, key) ? d[key] : dflt === undefined ? null : dflt;
  },
  update: (d, [other], kw) => {
    if (other instanceof Map) for (const [k, v] of other) d[dictKey(k)] = v;
    else if (Array.isArray(other)) for (const [k, v] of other as unknown[][]) d[dictKey(k)] = v;
    else if (other !== undefined && other !== null) Object.assign(d, other);
    Object.assign(d, kw);
    return null;
  },
  pop: (d, [k, dflt]) => {
    const key = dictKey(k);
    if (!(key in d) || inherited(d, key)) return dflt === undefined ? missingKey(k) : dflt;
    const v = d[key];
    delete d[key];
    return v;
  },
  setdefault: (d, [k, dflt]) => {
    const key = dictKey(k);
    if (!(key in d) || inherited(d, key)) d[key] = dflt === undefined ? null : dflt;
    return d[key];
  },
  copy: (d) => ({ ...d }),
  clear: (d) => {
    for (const k of Object.keys(d)) delete d[k];
    return null;
  },
  popitem: (d) => {
    const keys = Object.keys(d);
    if (!keys.length) throw new PyError('KeyError', "'popitem(): dictionary is empty'");
    const k = keys[keys.length - 1];
    const v = d[k];
    delete d[k];
    return tuple([k, v]);
  },
};

/** The same dict methods over a Map (dicts whose keys are not strings). */
export const mapMethods: Record<string, PyMethod> = {
  items: (m: Map<unknown, unknown>) => [...m].map((e) => tuple(e)),
  keys: (m: Map<unknown, unknown>) => [...m.keys()],
  values: (m: Map<unknown, unknown>) => [...m.values()],
  get: (m: Map<unknown, unknown>, [k, dflt]) => (m.has(k) ? m.get(k) : dflt === undefined ? null : dflt),
  update: (m: Map<unknown, unknown>, [other], kw) => {
    if (other instanceof Map) for (const [k, v] of other) m.set(k, v);
    else if (other) for (const k of Object.keys(other)) m.set(k, (other as any)[k]);
    for (const k of Object.keys(kw)) m.set(k, kw[k]);
    return null;
  },
  pop: (m: Map<unknown, unknown>, [k, dflt]) => {
    if (!m.has(k)) return dflt === undefined ? missingKey(k) : dflt;
    const v = m.get(k);
    m.delete(k);
    return v;
  },
  setdefault: (m: Map<unknown, unknown>, [k, dflt]) => {
    if (!m.has(k)) m.set(k, dflt === undefined ? null : dflt);
    return m.get(k);
  },
  copy: (m: Map<unknown, unknown>) => new Map(m),
};

export const setMethods: Record<string, PyMethod> = {
  add: (s: Set<unknown>, [x]) => done(s.add(x)),
  discard: (s: Set<unknown>, [x]) => done(s.delete(x)),
  remove: (s: Set<unknown>, [x]) => {
    if (!s.delete(x)) missingKey(x);
    return null;
  },
  union: (s: Set<unknown>, others) => new Set([s, ...others].flatMap((o) => toList(o))),
  intersection: (s: Set<unknown>, [o]) => new Set(toList(o).filter((x) => s.has(x))),
  difference: (s: Set<unknown>, [o]) => {
    const other = new Set(toList(o));
    return new Set([...s].filter((x) => !other.has(x)));
  },
  issubset: (s: Set<unknown>, [o]) => {
    const other = new Set(toList(o));
    return [...s].every((x) => other.has(x));
  },
  copy: (s: Set<unknown>) => new Set(s),
};

/** True when `key` only comes from Object.prototype (`constructor`, `toString`, ...). */
export function inherited(d: object, key: string): boolean {
  return key in Object.prototype && (d as any)[key] === (Object.prototype as any)[key];
}
