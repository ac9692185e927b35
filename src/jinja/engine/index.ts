/**
 * MartQL's Jinja engine: the public API the rest of MartQL uses. Everything else in this folder
 * is internal.
 *
 * - `createJinjaEngine()` compiles templates once and renders them against a context object used
 *   by reference (lookups and top-level `{% set %}` go to that object, so a Proxy works).
 * - `callMacro()` calls a macro (or any template-callable) from TypeScript.
 * - `splitArgs()` decodes the arguments a JS function exposed to templates receives.
 * - `jinjaReturn` is dbt's `return()`; install it as the `return` global of a context.
 * - `pyStr()` / `isTruthy()` are Python's str() and bool() over template values.
 */
import { makeKeywordArgs } from './frames';
import { MacroReturn } from './py/values';

export { createJinjaEngine } from './engine';
export type { CompiledTemplate, JinjaEngine, JinjaEngineOptions, MacroInfo, RenderOptions } from './engine';
export type { JinjaMacro } from './frames';
export { splitArgs, isKeywordArgs } from './frames';
export { pyStr, pyRepr } from './py/str';
export { isTruthy, pyEq } from './py/truth';
export { PyFloat, MacroReturn, Namespace, tuple } from './py/values';

/** Calls a macro or JS function with positional and keyword arguments, the way a template would. */
export function callMacro(fn: unknown, args: unknown[], kwargs?: Record<string, unknown>): unknown {
  if (typeof fn !== 'function') throw new TypeError('callMacro: not a callable');
  const all = kwargs && Object.keys(kwargs).length ? [...args, makeKeywordArgs({ ...kwargs })] : args;
  try {
    return fn(...all);
  } catch (e) {
    // return() called by a plain JS function invoked directly: its value is the result.
    if (e instanceof MacroReturn) return e.value;
    throw e;
  }
}

export { jinjaReturn } from './py/values';
