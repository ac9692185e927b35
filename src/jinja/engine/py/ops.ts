/**
 * Python arithmetic and membership: `+` concatenates strings and lists, `*` repeats them, `%`
 * formats strings, `/` always yields a float, `//` and `%` floor toward negative infinity, and
 * `in` works on strings, lists, dicts, sets and maps. Int/float is tracked through `PyFloat`.
 */
import { SafeString } from '../nunjucks-internals';
import { typeError, undefinedError, PyError } from './errors';
import { percentFormat } from './format';
import { pyStr, dictKey } from './str';
import { pyEq } from './truth';
import { isFloat, isPlainObject, isTuple, mkFloat, strVal, toNum, tuple, typeName } from './values';

function numbers(op: string, a: unknown, b: unknown): [number, number, boolean] {
  const x = toNum(a);
  const y = toNum(b);
  if (x === undefined || y === undefined) {
    if (a === undefined || b === undefined) throw undefinedError(`an undefined value was used with '${op}'`);
    throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }
  return [x, y, isFloat(a) || isFloat(b)];
}

/**
 * Objects that define Python's `__add__` / `__sub__` (MartQL's datetime and timedelta) do their own
 * arithmetic; `undefined` from the method means "not supported", as Python's NotImplemented.
 */
function dunder(method: '__add__' | '__sub__', a: unknown, b: unknown): unknown {
  if (a !== null && typeof a === 'object' && typeof (a as Record<string, unknown>)[method] === 'function') {
    return (a as Record<string, (o: unknown) => unknown>)[method](b);
  }
  return undefined;
}

function result(v: number, float: boolean): unknown {
  return float ? mkFloat(v) : v;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b))
    return a + b;
  const sa = strVal(a);
  if (sa !== undefined) {
    const sb = strVal(b);
    if (sb === undefined) throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
    return sa + sb;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || isTuple(a) !== isTuple(b)) {
      throw typeError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
    }
    const out = a.concat(b);
    return isTuple(a) ? tuple(out) : out;
  }
  const custom = dunder('__add__', a, b) ?? dunder('__add__', b, a);
  if (custom !== undefined) return custom;
  const [x, y, f] = numbers('+', a, b);
  return result(x + y, f);
}

export function sub(a: unknown, b: unknown): unknown {
  const custom = dunder('__sub__', a, b);
  if (custom !== undefined) return custom;
  const [x, y, f] = numbers('-', a, b);
  return result(x - y, f);
}

export function mul(a: unknown, b: unknown): unknown {
  const seq =
    strVal(a) !== undefined || Array.isArray(a) ? a : strVal(b) !== undefined || Array.isArray(b) ? b : null;
  if (seq !== null) {
    const n = toNum(seq === a ? b : a);
    if (n === undefined || !Number.isInteger(n) || isFloat(seq === a ? b : a)) {
      throw typeError(`can't multiply sequence by non-int of type '${typeName(seq === a ? b : a)}'`);
    }
    const s = strVal(seq);
    if (s !== undefined) return s.repeat(Math.max(0, n));
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(...(seq as unknown[]));
    return isTuple(seq) ? tuple(out) : out;
  }
  const [x, y, f] = numbers('*', a, b);
  return result(x * y, f);
}

export function div(a: unknown, b: unknown): unknown {
  const [x, y] = numbers('/', a, b);
  if (y === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  return mkFloat(x / y);
}

export function floorDiv(a: unknown, b: unknown): unknown {
  const [x, y, f] = numbers('//', a, b);
  if (y === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
  return result(Math.floor(x / y), f);
}

export function mod(a: unknown, b: unknown): unknown {
  const s = strVal(a);
  if (s !== undefined) return percentFormat(s, b);
  const [x, y, f] = numbers('%', a, b);
  if (y === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
  return result(x - y * Math.floor(x / y), f);
}

export function pow(a: unknown, b: unknown): unknown {
  const [x, y, f] = numbers('**', a, b);
  return result(Math.pow(x, y), f || y < 0);
}

export function neg(a: unknown): unknown {
  const [x, , f] = numbers('-', a, 0);
  return result(-x, f);
}

export function pos(a: unknown): unknown {
  const [x, , f] = numbers('+', a, 0);
  return result(x, f);
}

/** `~`: Python str() of both sides. */
export function concat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}

/** Python `needle in haystack`. */
export function pyIn(needle: unknown, haystack: unknown): boolean {
  const s = strVal(haystack);
  if (s !== undefined) {
    const n = strVal(needle);
    if (n === undefined)
      throw typeError(`'in <string>' requires string as left operand, not ${typeName(needle)}`);
    return s.includes(n);
  }
  if (Array.isArray(haystack)) {
    for (const x of haystack) if (pyEq(x, needle)) return true;
    return false;
  }
  if (haystack instanceof Set) {
    if (haystack.has(needle)) return true;
    const n = strVal(needle);
    if (n !== undefined && needle instanceof SafeString) return haystack.has(n);
    for (const x of haystack) if (typeof x === 'object' && pyEq(x, needle)) return true;
    return false;
  }
  if (haystack instanceof Map) return haystack.has(needle) || haystack.has(dictKey(needle));
  if (haystack === undefined) return false;
  if (haystack === null) throw typeError("argument of type 'NoneType' is not iterable");
  if (isPlainObject(haystack)) return dictKey(needle) in haystack;
  if (typeof haystack === 'object' && typeof (haystack as any).__contains__ === 'function') {
    return !!(haystack as any).__contains__(needle);
  }
  if (typeof haystack === 'object' && Symbol.iterator in haystack) {
    for (const x of haystack as Iterable<unknown>) if (pyEq(x, needle)) return true;
    return false;
  }
  throw typeError(`argument of type '${typeName(haystack)}' is not iterable`);
}
