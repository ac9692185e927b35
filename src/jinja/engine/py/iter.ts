/**
 * Python iteration over template values: `for x in d` walks a dict's keys, a string's characters,
 * a Set or Map; Jinja's Undefined iterates as empty; None is a TypeError.
 */
import { typeError } from './errors';
import { isPlainObject, strVal, typeName } from './values';

export function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined) return [];
  const s = strVal(v);
  if (s !== undefined) return [...s];
  if (v instanceof Map) return [...v.keys()];
  if (v === null) throw typeError("'NoneType' object is not iterable");
  if (isPlainObject(v)) return Object.keys(v);
  if (typeof v === 'object' && Symbol.iterator in v) return Array.from(v as Iterable<unknown>);
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

/** Unpacks one item for `for a, b in ...` / `{% set a, b = ... %}`. */
export function unpack(v: unknown, n: number): unknown[] {
  const items = toList(v);
  if (items.length !== n) {
    throw typeError(
      items.length > n
        ? `too many values to unpack (expected ${n})`
        : `not enough values to unpack (expected ${n}, got ${items.length})`,
    );
  }
  return items;
}
