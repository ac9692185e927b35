/**
 * Python truthiness, equality and ordering. Jinja code relies on `[]`, `{}`, `''`, `0` and an empty
 * macro output being false, on `[1] == [1]`, and on chained comparisons (`1 < x < 3`).
 */
import { SafeString } from '../nunjucks-internals';
import { typeError, undefinedError } from './errors';
import { PyFloat, isPlainObject, isTuple, strVal, toNum, typeName } from './values';

/** Python bool(). Class instances are truthy unless they define `__bool__()`. */
export function isTruthy(v: unknown): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'undefined':
      return false;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof SafeString) return (v as any).val.length > 0;
      if (v instanceof PyFloat) return v.value !== 0;
      if (v instanceof Map || v instanceof Set) return v.size > 0;
      if (isPlainObject(v)) {
        for (const _k in v) return true;
        return false;
      }
      if (typeof (v as any).__bool__ === 'function') return !!(v as any).__bool__();
      return true;
    default:
      return true;
  }
}

/** Python ==, deep for lists/dicts/sets; objects may define `__eq__(other)`. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const sa = strVal(a);
  if (sa !== undefined) return sa === strVal(b);
  const na = toNum(a);
  if (na !== undefined) {
    const nb = toNum(b);
    return nb !== undefined && na === nb;
  }
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || isTuple(a) !== isTuple(b)) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) if (!b.has(k) || !pyEq(x, b.get(k))) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!(k in b) || !pyEq(a[k], b[k])) return false;
    return true;
  }
  if (typeof (a as any).__eq__ === 'function') return !!(a as any).__eq__(b);
  return false;
}

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | '===' | '!==';

/** One Python comparison. Ordering between unrelated types is a TypeError, as in Python. */
export function pyCompare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    default: {
      const c = order(op, a, b);
      return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
    }
  }
}

/** -1/0/1 ordering of two values of comparable types. */
export function order(op: string, a: unknown, b: unknown): number {
  const na = toNum(a);
  const nb = toNum(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  const sa = strVal(a);
  const sb = strVal(b);
  if (sa !== undefined && sb !== undefined) return sa < sb ? -1 : sa > sb ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return order(op, a[i], b[i]);
    }
    return a.length - b.length;
  }
  if (a === undefined || b === undefined)
    throw undefinedError(`cannot compare an undefined value with '${op}'`);
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** `a op1 b op2 c`: each operand evaluated once, left to right, stopping at the first false. */
export function compareChain(first: unknown, ops: CompareOp[], rest: (() => unknown)[]): boolean {
  let left = first;
  for (let i = 0; i < ops.length; i++) {
    const right = rest[i]();
    if (!pyCompare(ops[i], left, right)) return false;
    left = right;
  }
  return true;
}
