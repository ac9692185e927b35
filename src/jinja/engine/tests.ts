/**
 * Jinja's tests (`x is none`, `x is string`, `x is in [...]`, ...), with Python's type model:
 * a macro's output is a string, a dict is a mapping (and a sequence), booleans are numbers but
 * not integers, 3.0 is a float.
 */
import { SafeString } from './nunjucks-internals';
import { pyIn } from './py/ops';
import { order, pyEq } from './py/truth';
import { isFloat, isMapping, isPlainObject, isString, PyFloat, strVal, toNum } from './py/values';
import type { Filter } from './filter-helpers';

export type Test = (value: unknown, ...args: unknown[]) => boolean;

const num = (v: unknown) => toNum(v) as number;

export function builtinTests(registry: {
  filters: Record<string, Filter>;
  tests: Record<string, Test>;
}): Record<string, Test> {
  const t: Record<string, Test> = {
    boolean: (v) => typeof v === 'boolean',
    callable: (v) => typeof v === 'function',
    defined: (v) => v !== undefined,
    undefined: (v) => v === undefined,
    none: (v) => v === null,
    divisibleby: (v, n) => num(v) % num(n) === 0,
    escaped: (v) => v instanceof SafeString,
    even: (v) => num(v) % 2 === 0,
    odd: (v) => Math.abs(num(v) % 2) === 1,
    false: (v) => v === false,
    true: (v) => v === true,
    filter: (v) => typeof v === 'string' && v in registry.filters,
    test: (v) => typeof v === 'string' && v in registry.tests,
    float: (v) => isFloat(v),
    integer: (v) => typeof v === 'number' && Number.isInteger(v),
    number: (v) => typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean',
    string: (v) => isString(v),
    lower: (v) => strVal(v) !== undefined && strVal(v) === strVal(v)?.toLowerCase(),
    upper: (v) => strVal(v) !== undefined && strVal(v) === strVal(v)?.toUpperCase(),
    mapping: (v) => isMapping(v),
    sequence: (v) => Array.isArray(v) || isString(v) || isPlainObject(v) || v instanceof Map,
    iterable: (v) =>
      v !== null &&
      v !== undefined &&
      (isString(v) || (typeof v === 'object' && (Symbol.iterator in v || isPlainObject(v)))),
    sameas: (v, other) => v === other,
    in: (v, seq) => pyIn(v, seq),
    eq: (a, b) => pyEq(a, b),
    ne: (a, b) => !pyEq(a, b),
    lt: (a, b) => order('<', a, b) < 0,
    le: (a, b) => order('<=', a, b) <= 0,
    gt: (a, b) => order('>', a, b) > 0,
    ge: (a, b) => order('>=', a, b) >= 0,
  };
  Object.assign(t, { '==': t.eq, equalto: t.eq, '!=': t.ne, '<': t.lt, lessthan: t.lt, '<=': t.le });
  Object.assign(t, { '>': t.gt, greaterthan: t.gt, '>=': t.ge });
  return t;
}
