/**
 * The Python value model templates see, mapped onto JS values.
 *
 * str -> string (nunjucks SafeString is unwrapped wherever a string is expected), int -> integral
 * number, float -> non-integral number or `PyFloat` (an integral float such as 3.0 or 10 / 2, which
 * JS cannot tell from an int), bool -> boolean, None -> null, Jinja Undefined -> undefined,
 * list -> Array, tuple -> Array marked with `TUPLE`, dict -> plain object (or Map), set -> Set.
 */
import { SafeString } from '../nunjucks-internals';

/** An integral float (3.0). Non-integral floats stay plain numbers: they already render right. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return formatFloat(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** Python's repr() of a float. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e16 || abs < 1e-4) {
    // Python pads the exponent to two digits: 1e-07, 1e+16.
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** The result of an operation that yields a Python float. */
export function mkFloat(v: number): number | PyFloat {
  return Number.isInteger(v) ? new PyFloat(v) : v;
}

/** A number (bools count as ints, as in Python), or undefined when `v` is not numeric. */
export function toNum(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean';
}

/** Unwraps PyFloat for JS code that expects plain numbers. */
export function plain(v: unknown): unknown {
  return v instanceof PyFloat ? v.value : v;
}

export const TUPLE = Symbol('martql.tuple');

export function tuple<T>(items: T[]): T[] {
  (items as any)[TUPLE] = true;
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as any)[TUPLE] === true;
}

/** The string inside a str or SafeString, else undefined. */
export function strVal(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof SafeString) return (v as any).val;
  return undefined;
}

export function isString(v: unknown): boolean {
  return typeof v === 'string' || v instanceof SafeString;
}

/** A dict: an object literal, a JSON value or a Proxy over one (the prototype decides). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isMapping(v: unknown): boolean {
  return v instanceof Map || (isPlainObject(v) && !(v instanceof SafeString));
}

/** Jinja's namespace(): the one object `{% set ns.attr = v %}` may assign to. */
export class Namespace {
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}

/** What `return(value)` throws; every macro body catches it and returns `value`. */
export class MacroReturn {
  constructor(readonly value: unknown) {}
}

/**
 * dbt's `return(value)`: install as the `return` global; macros catch it and return `value`
 * (compiled macros return directly when they see this very function, see compileDirectReturn).
 */
export function jinjaReturn(value: unknown): never {
  throw new MacroReturn(value);
}

/** Python's type name of a value, for error messages. */
export function typeName(v: unknown): string {
  if (v === undefined) return 'Undefined';
  if (v === null) return 'NoneType';
  if (typeof v === 'string' || v instanceof SafeString) return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof Set) return 'set';
  if (v instanceof Map || isPlainObject(v)) return 'dict';
  if (typeof v === 'function') return (v as any).macroName ? 'Macro' : 'function';
  const ctor = (v as any).constructor;
  return ctor && ctor.name ? ctor.name : 'object';
}

/**
 * Python's fixed-point rounding: exact binary value, ties to even (round(2.5) == 2,
 * '%.1f' % 2.25 == '2.2'). JS toFixed breaks exact ties upward, so ties are detected here.
 */
export function pyToFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return formatFloat(x);
  const exact = Math.abs(x) < 1e21 ? x.toFixed(Math.min(100, digits + 60)) : String(x);
  const cut = exact.indexOf('.') + digits + (digits > 0 ? 1 : 0);
  const rest = exact.slice(digits > 0 ? cut : exact.indexOf('.') + 1);
  if (!/^50*$/.test(rest)) return x.toFixed(digits);
  const kept = exact.slice(0, digits > 0 ? cut : exact.indexOf('.'));
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 0) return kept;
  return x.toFixed(digits);
}

/** Python's round(x, digits) for floats. */
export function pyRound(x: number, digits: number): number {
  return Number(pyToFixed(x, digits));
}
