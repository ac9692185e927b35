/**
 * Jinja's built-in filters on strings and scalars, plus dbt's as_text/as_bool/as_number/as_native
 * (identity in text rendering). Reimplemented rather than taken from nunjucks because nunjucks'
 * versions ignore keyword arguments (`join(attribute=)`, `sum(attribute=)`), render None as '' and
 * lack several filters dbt code uses. Collection filters live in filters-collections.ts.
 */
import { filter, Filter } from './filter-helpers';
import { collectionFilters, Registry } from './filters-collections';
import { percentFormat } from './py/format';
import { pyRepr, pyStr } from './py/str';
import { isTruthy } from './py/truth';
import { isFloat, mkFloat, PyFloat, pyRound, strVal, toNum, tuple, isPlainObject } from './py/values';
import { toJson } from './tojson';

const s = (v: unknown) => pyStr(v);

function htmlEscape(v: unknown): string {
  return s(v)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  const n = toNum(v);
  if (n !== undefined) return Number.isFinite(n) ? Math.trunc(n) : dflt;
  const str = strVal(v);
  if (str === undefined) return dflt;
  const t = str.trim().replace(/_/g, '');
  if (base === 10 && /^[+-]?\d+$/.test(t)) return parseInt(t, 10);
  if (base !== 10) {
    const p = parseInt(t.replace(/^0[xob]/i, ''), base);
    return Number.isNaN(p) ? dflt : p;
  }
  const f = Number(t);
  return t !== '' && Number.isFinite(f) ? Math.trunc(f) : dflt;
}

function toFloat(v: unknown, dflt: unknown): unknown {
  const n = toNum(v);
  if (n !== undefined) return mkFloat(n);
  const str = strVal(v);
  const t = str?.trim().toLowerCase();
  if (t === undefined || t === '') return dflt;
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === 'infinity') return Infinity;
  const f = Number(t);
  return Number.isNaN(f) ? dflt : mkFloat(f);
}

function round(v: unknown, precision: unknown, method: unknown): unknown {
  const n = toNum(v) ?? 0;
  const p = Number(toNum(precision) ?? 0);
  const m = 10 ** p;
  const r =
    method === 'ceil' || method === 'floor'
      ? (method === 'ceil' ? Math.ceil : Math.floor)(Number((n * m).toPrecision(15))) / m
      : pyRound(n, p);
  return isFloat(v) ? mkFloat(r) : r;
}

function truncate(v: unknown, length: unknown, killwords: unknown, end: unknown, leeway: unknown): string {
  const str = s(v);
  const len = Number(toNum(length));
  const lee = Number(toNum(leeway) ?? 5);
  const e = s(end);
  if (str.length <= len + lee) return str;
  if (isTruthy(killwords)) return str.slice(0, len - e.length) + e;
  const cut = str.slice(0, len - e.length);
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + e;
}

function indent(v: unknown, width: unknown, first: unknown, blank: unknown): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(Number(toNum(width)));
  const lines = s(v).split('\n');
  return lines
    .map((line, i) =>
      (i === 0 && !isTruthy(first)) || (!isTruthy(blank) && line.trim() === '') ? line : pad + line,
    )
    .join('\n');
}

function titleCase(v: unknown): string {
  return s(v).replace(/([\w'-])+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
}

const identity = (v: unknown) => v;

const scalarFilters: Record<string, Filter> = {
  abs: (v) => (v instanceof PyFloat ? new PyFloat(Math.abs(v.value)) : Math.abs(toNum(v) as number)),
  capitalize: (v) => {
    const t = s(v);
    return t ? t[0].toUpperCase() + t.slice(1).toLowerCase() : t;
  },
  center: filter('center', ['width'], [80], (v, w) => {
    const t = s(v);
    const gap = Math.max(0, Number(toNum(w)) - t.length);
    return ' '.repeat(Math.floor(gap / 2)) + t + ' '.repeat(Math.ceil(gap / 2));
  }),
  default: filter('default', ['default_value', 'boolean'], ['', false], (v, d, b) =>
    v === undefined || (isTruthy(b) && !isTruthy(v)) ? d : v,
  ),
  escape: htmlEscape,
  forceescape: htmlEscape,
  float: filter('float', ['default'], [new PyFloat(0)], toFloat),
  format: (v: unknown, ...raw: unknown[]) => {
    const last = raw[raw.length - 1];
    const kw = last && typeof last === 'object' && Object.prototype.hasOwnProperty.call(last, '__keywords');
    return percentFormat(s(v), kw ? { ...(last as object) } : tuple(raw));
  },
  indent: filter('indent', ['width', 'first', 'blank'], [4, false, false], indent),
  int: filter('int', ['default', 'base'], [0, 10], (v, d, b) => toInt(v, d, Number(b))),
  lower: (v) => s(v).toLowerCase(),
  upper: (v) => s(v).toUpperCase(),
  pprint: (v) => pyRepr(v),
  replace: filter('replace', ['old', 'new', 'count'], [undefined, undefined, undefined], (v, a, b, c) => {
    const parts = s(v).split(s(a));
    const n = c === undefined || c === null ? parts.length : Number(toNum(c)) + 1;
    return parts.slice(0, n).join(s(b)) + (n < parts.length ? s(a) + parts.slice(n).join(s(a)) : '');
  }),
  round: filter('round', ['precision', 'method'], [0, 'common'], round),
  safe: identity,
  string: (v) => (strVal(v) !== undefined ? v : s(v)),
  striptags: (v) =>
    s(v)
      .replace(/<!--[\s\S]*?-->|<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  title: titleCase,
  tojson: filter('tojson', ['indent'], [undefined], (v, i) => toJson(v, i, true)),
  trim: filter('trim', ['chars'], [undefined], (v, chars) => {
    const t = s(v);
    if (chars === undefined || chars === null) return t.trim();
    const set = s(chars);
    let a = 0;
    let b = t.length;
    while (a < b && set.includes(t[a])) a++;
    while (b > a && set.includes(t[b - 1])) b--;
    return t.slice(a, b);
  }),
  truncate: filter('truncate', ['length', 'killwords', 'end', 'leeway'], [255, false, '...', 5], truncate),
  urlencode: (v) =>
    isPlainObject(v)
      ? Object.keys(v)
          .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(s(v[k]))}`)
          .join('&')
      : encodeURIComponent(s(v)).replace(/%2F/g, '/'),
  wordcount: (v) => (s(v).match(/\w+/g) ?? []).length,
  wordwrap: filter(
    'wordwrap',
    ['width', 'break_long_words', 'wrapstring'],
    [79, true, '\n'],
    (v, w, _b, sep) => {
      const width = Number(toNum(w));
      const lines: string[] = [];
      let line = '';
      for (const word of s(v).split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (line) lines.push(line);
      return lines.join(s(sep));
    },
  ),
  xmlattr: (v) =>
    Object.keys(v as object)
      .filter((k) => (v as any)[k] !== undefined && (v as any)[k] !== null)
      .map((k) => ` ${k}="${htmlEscape((v as any)[k])}"`)
      .join(''),
  // dbt's type-marker filters: in text rendering they return the value unchanged.
  as_text: identity,
  as_bool: identity,
  as_number: identity,
  as_native: identity,
};
scalarFilters.d = scalarFilters.default;
scalarFilters.e = scalarFilters.escape;

/** Every built-in filter by name. */
export function builtinFilters(registry: Registry): Record<string, Filter> {
  return { ...scalarFilters, ...collectionFilters(registry) };
}
