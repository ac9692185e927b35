/**
 * Attribute, item and method access in templates (`x.y`, `x[k]`, `x.m(...)`, `x[a:b]`).
 *
 * Jinja resolves `x.y` as attribute-then-item and `x[k]` as item-then-attribute; strings, lists
 * and dicts get Python's methods; negative indexes and slices work; a JS object's own methods win
 * (a config object with its own `get()` keeps it). Lookups on dicts use `k in obj` / `obj[k]` so a
 * Proxy's traps fire. `undefinedMode` decides what `missing.attr` does: Jinja raises, while dbt's
 * parse phase is lenient (anything undefined stays undefined).
 */
import { SafeString } from './nunjucks-internals';
import {
  dictMethods,
  inherited,
  listMethods,
  mapMethods,
  PyMethod,
  setMethods,
  strMethods,
} from './python-methods';
import { typeError, undefinedError } from './py/errors';
import { dictKey } from './py/str';
import { isPlainObject, isTuple, PyFloat, strVal, toNum, tuple, typeName } from './py/values';
import { splitArgs } from './frames';

export type UndefinedMode = 'strict' | 'lenient';

function nullProto<T extends object>(o: T): T {
  return Object.assign(Object.create(null), o);
}
const STR = nullProto(strMethods);
const LIST = nullProto(listMethods);
const DICT = nullProto(dictMethods);
const MAP = nullProto(mapMethods);
const SET = nullProto(setMethods);

function bindPy(m: PyMethod, self: unknown): (...args: unknown[]) => unknown {
  return (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    return m(self, args, kwargs);
  };
}

function hasKey(obj: object, k: string): boolean {
  return k in obj && !inherited(obj, k);
}

function index(len: number, key: unknown): number | undefined {
  const i = typeof key === 'number' ? key : typeof key === 'boolean' ? Number(key) : undefined;
  if (i === undefined || !Number.isInteger(i)) return undefined;
  return i < 0 ? len + i : i;
}

export function createLookup(mode: UndefinedMode) {
  const strict = mode === 'strict';

  function memberLookup(obj: unknown, key: unknown, dot: boolean, label: string): unknown {
    if (obj === undefined) {
      if (strict) throw undefinedError(`'${label}' is undefined`);
      return undefined;
    }
    if (obj === null) return undefined;
    if (typeof obj === 'string' || obj instanceof SafeString) {
      const s = strVal(obj) as string;
      const i = index(s.length, key);
      if (i !== undefined) return s[i];
      const m = typeof key === 'string' ? STR[key] : undefined;
      return m ? bindPy(m, s) : undefined;
    }
    if (Array.isArray(obj)) {
      const i = index(obj.length, key);
      if (i !== undefined) return obj[i];
      const m = typeof key === 'string' ? LIST[key] : undefined;
      if (m) return bindPy(m, obj);
      // groupby's (grouper, list) tuples also carry named fields, like Python's namedtuple.
      return typeof key === 'string' && key !== 'length' && Object.prototype.hasOwnProperty.call(obj, key)
        ? (obj as any)[key]
        : undefined;
    }
    if (typeof obj !== 'object' && typeof obj !== 'function') return undefined;
    if (isPlainObject(obj)) {
      const k = typeof key === 'string' ? key : dictKey(key);
      const m = DICT[k];
      const has = hasKey(obj, k);
      if (m && (dot || !has) && !(has && typeof obj[k] === 'function')) return bindPy(m, obj);
      return has ? obj[k] : undefined;
    }
    if (obj instanceof Map) {
      if (obj.has(key)) return obj.get(key);
      const k = dictKey(key);
      if (obj.has(k)) return obj.get(k);
      const m = MAP[k];
      return m ? bindPy(m, obj) : undefined;
    }
    const k = typeof key === 'string' ? key : dictKey(key);
    if (k in (obj as object)) {
      const v = (obj as any)[k];
      return typeof v === 'function' ? v.bind(obj) : v;
    }
    if (obj instanceof Set && SET[k]) return bindPy(SET[k], obj);
    return undefined;
  }

  /** Calls a JS function the way templates do: PyFloat args unwrapped, `undefined` result -> None. */
  function callFunction(fn: (...a: unknown[]) => unknown, self: unknown, args: unknown[]): unknown {
    if ((fn as any).macroName) return fn(...args);
    for (let i = 0; i < args.length; i++)
      if (args[i] instanceof PyFloat) args[i] = (args[i] as PyFloat).value;
    const r = fn.apply(self, args);
    return r === undefined ? null : r;
  }

  function callWrap(fn: unknown, label: string, context: unknown, args: unknown[]): unknown {
    if (typeof fn === 'function') return callFunction(fn as any, context, args);
    if (fn === undefined) {
      if (strict) throw undefinedError(`'${label}' is undefined`);
      return undefined;
    }
    throw typeError(`'${typeName(fn)}' object is not callable (${label})`);
  }

  function callPy(m: PyMethod, self: unknown, raw: unknown[]): unknown {
    const { args, kwargs } = splitArgs(raw);
    return m(self, args, kwargs);
  }

  function callMethod(obj: unknown, key: unknown, label: string, context: unknown, args: unknown[]): unknown {
    const k = typeof key === 'string' ? key : dictKey(key);
    if (typeof obj === 'string' || obj instanceof SafeString) {
      if (STR[k]) return callPy(STR[k], strVal(obj), args);
    } else if (Array.isArray(obj)) {
      if (LIST[k]) return callPy(LIST[k], obj, args);
    } else if (isPlainObject(obj)) {
      const has = hasKey(obj, k);
      if (has && typeof obj[k] === 'function') return callFunction(obj[k] as any, obj, args);
      if (DICT[k]) return callPy(DICT[k], obj, args);
      if (has) return callWrap(obj[k], label, context, args);
    } else if (obj instanceof Map) {
      if (MAP[k]) return callPy(MAP[k], obj, args);
    } else if (obj !== null && (typeof obj === 'object' || typeof obj === 'function')) {
      if (k in obj) {
        const v = (obj as any)[k];
        if (typeof v === 'function') return callFunction(v, obj, args);
        return callWrap(v, label, context, args);
      }
      if (obj instanceof Set && SET[k]) return callPy(SET[k], obj, args);
    } else if (obj === undefined) {
      if (strict) throw undefinedError(`'${label.replace(/\.[^.]*$/, '')}' is undefined`);
      return undefined;
    }
    if (!strict) return undefined;
    throw undefinedError(`'${typeName(obj)}' object has no attribute '${k}' (${label})`);
  }

  return { memberLookup, callWrap, callMethod };
}

/** Python slicing of lists, tuples and strings. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const s = strVal(obj);
  const seq: unknown[] | string | undefined = s !== undefined ? s : Array.isArray(obj) ? obj : undefined;
  if (seq === undefined) {
    if (obj === undefined) return undefined;
    throw typeError(`'${typeName(obj)}' object is not subscriptable`);
  }
  const len = seq.length;
  const st = step === undefined || step === null ? 1 : (toNum(step) as number);
  if (st === 0) throw typeError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (v === undefined || v === null) return dflt;
    let i = toNum(v) as number;
    if (i < 0) i += len;
    return Math.min(Math.max(i, lo), hi);
  };
  const a = st > 0 ? norm(start, 0, 0, len) : norm(start, len - 1, -1, len - 1);
  const b = st > 0 ? norm(stop, len, 0, len) : norm(stop, -1, -1, len - 1);
  const out: unknown[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(seq[i]);
  if (typeof seq === 'string') return out.join('');
  return isTuple(obj) ? tuple(out) : out;
}
