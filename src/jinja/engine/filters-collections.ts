/**
 * Jinja's filters over sequences and mappings (map, select/reject and their attr forms, sort, unique, groupby, sum,
 * min/max, join, items, dictsort, batch, slice, ...), with keyword arguments and Python ordering.
 */
import { attrGetter, filter, Filter } from './filter-helpers';
import { splitArgs } from './frames';
import { typeError } from './py/errors';
import { toList } from './py/iter';
import { pyStr } from './py/str';
import { isTruthy, order, pyEq } from './py/truth';
import { isFloat, isPlainObject, mkFloat, strVal, toNum, tuple } from './py/values';

export interface Registry {
  filters: Record<string, Filter>;
  tests: Record<string, (...args: unknown[]) => boolean>;
}

function keyFn(attribute: unknown, caseSensitive: unknown): (x: unknown) => unknown {
  const get = attrGetter(attribute);
  if (isTruthy(caseSensitive)) return get;
  return (x) => {
    const v = get(x);
    const s = strVal(v);
    return s === undefined ? v : s.toLowerCase();
  };
}

function sorted(items: unknown[], key: (x: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((x) => [key(x), x] as const);
  keyed.sort((a, b) => order('<', a[0], b[0]));
  if (reverse) keyed.reverse();
  return keyed.map((p) => p[1]);
}

function uniqueItems(items: unknown[], key: (x: unknown) => unknown): unknown[] {
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (!seen.some((y) => pyEq(y, k))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

function minMax(items: unknown[], key: (x: unknown) => unknown, sign: number): unknown {
  if (!items.length) return undefined;
  return items.reduce((best, x) => (order('<', key(x), key(best)) * sign < 0 ? x : best));
}

function dictItems(v: unknown): unknown[][] {
  if (v === undefined) return [];
  if (v instanceof Map) return [...v].map((e) => tuple(e));
  if (!isPlainObject(v)) throw typeError('items() expects a mapping');
  return Object.keys(v).map((k) => tuple([k, v[k]]));
}

export function collectionFilters(registry: Registry): Record<string, Filter> {
  /** select/reject/selectattr/rejectattr share this: an optional test name plus its arguments. */
  function selectOrReject(raw: unknown[], hasAttr: boolean, keep: boolean): unknown[] {
    const { args, kwargs } = splitArgs(raw);
    const [value, ...rest] = args;
    const get = hasAttr ? attrGetter(rest.shift()) : (x: unknown) => x;
    const testName = rest.shift();
    let test: (x: unknown) => boolean = isTruthy;
    if (testName !== undefined) {
      const fn = registry.tests[String(testName)];
      if (!fn) throw typeError(`no test named '${pyStr(testName)}'`);
      test = (x) => fn(x, ...rest, ...(Object.keys(kwargs).length ? [kwargs] : []));
    }
    return toList(value).filter((x) => test(get(x)) === keep);
  }

  const f: Record<string, Filter> = {
    batch: filter('batch', ['linecount', 'fill_with'], [undefined, undefined], (v, n, fill) => {
      const items = toList(v);
      const size = Number(toNum(n));
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      const last = out[out.length - 1];
      if (fill !== undefined && last) while (last.length < size) last.push(fill);
      return out;
    }),
    dictsort: filter(
      'dictsort',
      ['case_sensitive', 'by', 'reverse'],
      [false, 'key', false],
      (v, cs, by, rev) => sorted(dictItems(v), keyFn(by === 'value' ? 1 : 0, cs), isTruthy(rev)),
    ),
    first: (v) => toList(v)[0],
    last: (v) => {
      const l = toList(v);
      return l[l.length - 1];
    },
    groupby: filter(
      'groupby',
      ['attribute', 'default', 'case_sensitive'],
      [undefined, undefined, false],
      (v, a, d, cs) => {
        const get = attrGetter(a);
        const key = (x: unknown) => {
          const k = get(x);
          return k === undefined ? d : k;
        };
        const norm = keyFn(undefined, cs);
        const groups: unknown[][] = [];
        for (const x of sorted(toList(v), (x) => norm(key(x)), false)) {
          const k = key(x);
          const g = groups[groups.length - 1];
          if (g && pyEq(norm(g[0]), norm(k))) (g[1] as unknown[]).push(x);
          else groups.push([k, [x]]);
        }
        return groups.map((g) => Object.assign(tuple(g), { grouper: g[0], list: g[1] }));
      },
    ),
    items: (v) => dictItems(v),
    join: filter('join', ['d', 'attribute'], ['', undefined], (v, d, a) =>
      toList(v).map(attrGetter(a)).map(pyStr).join(pyStr(d)),
    ),
    length: (v) => {
      if (v instanceof Map || v instanceof Set) return v.size;
      if (isPlainObject(v)) return Object.keys(v).length;
      const s = strVal(v);
      if (s !== undefined) return s.length;
      return toList(v).length;
    },
    list: (v) => toList(v).slice(),
    map: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const [value, name, ...rest] = args;
      const items = toList(value);
      if (name === undefined && 'attribute' in kwargs) {
        const get = attrGetter(kwargs.attribute);
        return items.map((x) => {
          const r = get(x);
          return r === undefined && 'default' in kwargs ? kwargs.default : r;
        });
      }
      const fn = registry.filters[String(name)];
      if (!fn) throw typeError(`no filter named '${pyStr(name)}'`);
      const kw = Object.keys(kwargs).length
        ? [Object.defineProperty({ ...kwargs }, '__keywords', { value: true })]
        : [];
      return items.map((x) => fn(x, ...rest, ...kw));
    },
    max: filter('max', ['case_sensitive', 'attribute'], [false, undefined], (v, cs, a) =>
      minMax(toList(v), keyFn(a, cs), -1),
    ),
    min: filter('min', ['case_sensitive', 'attribute'], [false, undefined], (v, cs, a) =>
      minMax(toList(v), keyFn(a, cs), 1),
    ),
    random: (v) => {
      const l = toList(v);
      return l[Math.floor(Math.random() * l.length)];
    },
    reject: (...raw) => selectOrReject(raw, false, false),
    rejectattr: (...raw) => selectOrReject(raw, true, false),
    reverse: (v) => {
      const s = strVal(v);
      return s !== undefined ? [...s].reverse().join('') : toList(v).slice().reverse();
    },
    select: (...raw) => selectOrReject(raw, false, true),
    selectattr: (...raw) => selectOrReject(raw, true, true),
    slice: filter('slice', ['slices', 'fill_with'], [undefined, undefined], (v, n, fill) => {
      const items = toList(v);
      const k = Number(toNum(n));
      const per = Math.floor(items.length / k);
      const extra = items.length % k;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < k; i++) {
        const size = per + (i < extra ? 1 : 0);
        const part = items.slice(offset, offset + size);
        offset += size;
        if (fill !== undefined && i >= extra && extra) part.push(fill);
        out.push(part);
      }
      return out;
    }),
    sort: filter(
      'sort',
      ['reverse', 'case_sensitive', 'attribute'],
      [false, false, undefined],
      (v, r, cs, a) => sorted(toList(v), keyFn(a, cs), isTruthy(r)),
    ),
    sum: filter('sum', ['attribute', 'start'], [undefined, 0], (v, a, start) => {
      const get = attrGetter(a);
      let total = Number(toNum(start));
      let float = isFloat(start);
      for (const x of toList(v)) {
        const n = toNum(get(x));
        if (n === undefined) throw typeError(`unsupported operand type(s) for +: 'int' and '${typeof x}'`);
        total += n;
        float ||= isFloat(get(x));
      }
      return float ? mkFloat(total) : total;
    }),
    unique: filter('unique', ['case_sensitive', 'attribute'], [false, undefined], (v, cs, a) =>
      uniqueItems(toList(v), keyFn(a, cs)),
    ),
  };
  f.count = f.length;
  return f;
}
