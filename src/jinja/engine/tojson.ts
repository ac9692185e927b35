/**
 * Jinja's `tojson` filter: Python json.dumps with sorted keys, `', '`/`': '` separators, ASCII
 * escapes, and `<`, `>`, `&`, `'` escaped so the output is safe inside HTML.
 */
import { typeError } from './py/errors';
import { PyFloat, formatFloat, isPlainObject, strVal } from './py/values';

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c > 0x7e) {
      const units = c > 0xffff ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c];
      out += units.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('');
    } else out += ch;
  }
  return `${out}"`;
}

function dump(v: unknown, indent: string | undefined, level: number, sortKeys: boolean): string {
  const s = strVal(v);
  if (s !== undefined) return jsonString(s);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof PyFloat) return formatFloat(v.value);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(v) ? String(v) : formatFloat(v);
  }
  const nl = indent === undefined ? '' : `\n${indent.repeat(level + 1)}`;
  const end = indent === undefined ? '' : `\n${indent.repeat(level)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(v) || v instanceof Set) {
    const items = [...v].map((x) => dump(x, indent, level + 1, sortKeys));
    return items.length ? `[${nl}${items.join(sep + nl)}${end}]` : '[]';
  }
  let entries: [string, unknown][];
  if (v instanceof Map) entries = [...v].map(([k, x]) => [String(k), x]);
  else if (isPlainObject(v)) entries = Object.keys(v).map((k) => [k, v[k]]);
  else if (typeof (v as any).toJSON === 'function') return dump((v as any).toJSON(), indent, level, sortKeys);
  else throw typeError(`Object of type ${(v as any).constructor?.name ?? 'object'} is not JSON serializable`);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const items = entries.map(([k, x]) => `${jsonString(k)}: ${dump(x, indent, level + 1, sortKeys)}`);
  return items.length ? `{${nl}${items.join(sep + nl)}${end}}` : '{}';
}

export function toJson(v: unknown, indent: unknown, htmlSafe: boolean): string {
  const ind =
    typeof indent === 'number' ? ' '.repeat(indent) : typeof indent === 'string' ? indent : undefined;
  const out = dump(v, ind, 0, true);
  if (!htmlSafe) return out;
  return out
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}
