/**
 * Python str() and repr() of template values: what `{{ x }}`, `~`, `join` and `%s` produce.
 * Jinja renders True/None/lists/dicts the Python way (`True`, `None`, `['a', 'b']`, `{'a': 1}`).
 */
import { SafeString } from '../nunjucks-internals';
import { Namespace, PyFloat, formatFloat, isPlainObject, isTuple } from './values';

export function numStr(v: number): string {
  if (Number.isInteger(v)) return Math.abs(v) < 1e21 ? String(v) : BigInt(v).toString();
  return formatFloat(v);
}

/** Python str(). Undefined renders as '' (Jinja's default Undefined). */
export function pyStr(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return numStr(v);
    case 'boolean':
      return v ? 'True' : 'False';
    case 'undefined':
      return '';
    case 'bigint':
      return v.toString();
    case 'function':
      return (v as any).macroName
        ? `<Macro '${(v as any).macroName}'>`
        : `<function ${v.name || 'anonymous'}>`;
    default:
      return objectStr(v as object | null, 0);
  }
}

function objectStr(v: object | null, depth: number): string {
  if (v === null) return 'None';
  if (v instanceof SafeString) return (v as any).val;
  if (v instanceof PyFloat) return formatFloat(v.value);
  if (
    Array.isArray(v) ||
    v instanceof Set ||
    v instanceof Map ||
    isPlainObject(v) ||
    v instanceof Namespace
  ) {
    return containerRepr(v, depth);
  }
  const toString = (v as any).toString;
  if (typeof toString === 'function' && toString !== Object.prototype.toString) return String(v);
  return `<${(v as any).constructor?.name ?? 'object'} object>`;
}

/** Python repr(): strings quoted, containers recursive. */
export function pyRepr(v: unknown, depth = 0): string {
  if (typeof v === 'string') return quote(v);
  if (v instanceof SafeString) return quote((v as any).val);
  if (v === undefined) return 'Undefined';
  if (typeof v === 'object' && v !== null) {
    if (depth > 50) return '...';
    return objectStr(v, depth + 1);
  }
  return pyStr(v);
}

function containerRepr(v: object, depth: number): string {
  const r = (x: unknown) => pyRepr(x, depth);
  if (Array.isArray(v)) {
    const items = v.map(r);
    if (!isTuple(v)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (v instanceof Set) return v.size ? `{${[...v].map(r).join(', ')}}` : 'set()';
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${r(k)}: ${r(x)}`).join(', ')}}`;
  const body = Object.keys(v)
    .map((k) => `${quote(k)}: ${r((v as any)[k])}`)
    .join(', ');
  return v instanceof Namespace ? `<Namespace {${body}}>` : `{${body}}`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Python's quoting: single quotes unless the text holds ' and no ". */
export function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q) out += `\\${q}`;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** The JS property name a Python dict key maps to (dicts are plain objects). */
export function dictKey(k: unknown): string {
  if (typeof k === 'string') return k;
  return pyStr(k);
}
