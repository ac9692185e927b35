/**
 * The `runtime` object compiled templates receive (nunjucks passes it as an argument to every
 * compiled root function, so MartQL supplies its own instead of patching nunjucks' module).
 * Everything Python-flavoured a template does at run time goes through here.
 */
import { Frame, LoopContext, makeKeywordArgs, makeMacro, MISSING } from './frames';
import { createLookup, slice, UndefinedMode } from './lookup';
import { typeError } from './py/errors';
import { toList, unpack } from './py/iter';
import * as ops from './py/ops';
import { dictKey, pyStr } from './py/str';
import { compareChain, isTruthy, pyCompare } from './py/truth';
import { isPlainObject, jinjaReturn, MacroReturn, Namespace, PyFloat, tuple } from './py/values';
import { locate } from './render-errors';

export interface TemplateContext {
  lookup(name: string): unknown;
  setVariable(name: string, value: unknown): void;
}

export function createRuntime(mode: UndefinedMode) {
  const lookups = createLookup(mode);
  return {
    ...lookups,
    ...ops,
    mode,
    Frame,
    LoopContext,
    MacroReturn,
    jinjaReturn,
    MISSING,
    makeMacro,
    makeKeywordArgs,
    isTruthy,
    pyCompare,
    compareChain,
    slice,
    toList,
    unpack,
    tuple,
    locate,
    str: pyStr,
    /** What `return(v)` returns: its argument as a call from a template passes it (callFunction). */
    returnValue: (v: unknown) => (v instanceof PyFloat ? v.value : v),
    float: (v: number) => new PyFloat(v),
    lookup(context: TemplateContext, frame: Frame, name: string): unknown {
      const v = frame.lookup(name);
      return v !== undefined ? v : context.lookup(name);
    },
    or: (a: unknown, b: () => unknown) => (isTruthy(a) ? a : b()),
    and: (a: unknown, b: () => unknown) => (isTruthy(a) ? b() : a),
    makeDict(flat: unknown[]): Record<string, unknown> {
      const d: Record<string, unknown> = {};
      for (let i = 0; i < flat.length; i += 2) d[dictKey(flat[i])] = flat[i + 1];
      return d;
    },
    setAttr(obj: unknown, key: string, value: unknown): void {
      if (!(obj instanceof Namespace))
        throw typeError(`cannot assign attribute '${key}' on a non-namespace object`);
      (obj as any)[key] = value;
    },
    /** `**kwargs` at a call site. */
    spreadKwargs(v: unknown): Record<string, unknown> {
      if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [dictKey(k), x]));
      if (v === undefined) return {};
      if (!isPlainObject(v)) throw typeError('argument after ** must be a mapping');
      return v;
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
