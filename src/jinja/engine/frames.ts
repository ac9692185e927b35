/**
 * Run-time scopes, macros and loops as compiled templates use them.
 *
 * nunjucks' own runtime keeps one mutable `frame` per template that macros swap in and out, which
 * makes a `{% call %}` body see the callee's locals and loses the caller's locals on an early
 * `return()`. MartQL's compiled macros declare their own `frame` (lexical scoping, as in Jinja),
 * and `makeMacro` binds arguments the Python way: positional, by keyword, defaults, `varargs`,
 * `kwargs` and `caller` only when the body uses them, errors for anything else.
 */
import { typeError } from './py/errors';
import { toList } from './py/iter';
import { pyEq } from './py/truth';
import { tuple } from './py/values';

export class Frame {
  readonly variables: Record<string, unknown> = Object.create(null);
  constructor(readonly parent?: Frame) {}
  set(name: string, value: unknown): void {
    this.variables[name] = value;
  }
  lookup(name: string): unknown {
    const v = this.variables[name];
    if (v !== undefined) return v;
    return this.parent ? this.parent.lookup(name) : undefined;
  }
  push(): Frame {
    return new Frame(this);
  }
}

/** Marks the trailing keyword-arguments object of a call (non-enumerable, so it never shows). */
export function makeKeywordArgs<T extends object>(obj: T): T {
  Object.defineProperty(obj, '__keywords', { value: true });
  return obj;
}

export function isKeywordArgs(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, '__keywords');
}

/** Splits nunjucks-style call arguments into positional args and keyword args. */
export function splitArgs(args: unknown[]): { args: unknown[]; kwargs: Record<string, unknown> } {
  const last = args.length ? args[args.length - 1] : undefined;
  if (!isKeywordArgs(last)) return { args, kwargs: {} };
  const kwargs: Record<string, unknown> = {};
  for (const k of Object.keys(last)) if (k !== '__keywords') kwargs[k] = last[k];
  return { args: args.slice(0, -1), kwargs };
}

export const MISSING: unique symbol = Symbol('martql.missing');

export interface MacroMeta {
  name: string;
  args: string[];
  /** The body reads `varargs` / `kwargs` / `caller`, so extra arguments of that kind are accepted. */
  varargs: boolean;
  kwargs: boolean;
  caller: boolean;
  path: string;
}

export type MacroBody = (
  values: unknown[],
  varargs: unknown[],
  kwargs: Record<string, unknown>,
  caller: unknown,
) => unknown;

export type JinjaMacro = ((...args: unknown[]) => unknown) & {
  readonly macroName: string;
  readonly macroArgs: readonly string[];
  readonly templatePath: string;
};

export function makeMacro(meta: MacroMeta, body: MacroBody): JinjaMacro {
  const names = meta.args;
  const n = names.length;
  const macro = function (...raw: unknown[]): unknown {
    let argc = raw.length;
    const kw = argc && isKeywordArgs(raw[argc - 1]) ? (raw[--argc] as Record<string, unknown>) : undefined;
    if (argc > n && !meta.varargs) {
      throw typeError(`macro '${meta.name}' takes not more than ${n} argument(s)`);
    }
    const values: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = i < argc ? raw[i] : MISSING;
    const varargs = tuple(argc > n ? raw.slice(n, argc) : []);
    const extra: Record<string, unknown> = {};
    let caller: unknown;
    if (kw) {
      for (const key of Object.keys(kw)) {
        const idx = names.indexOf(key);
        if (idx >= 0) {
          if (idx < argc) throw typeError(`macro '${meta.name}' got multiple values for argument '${key}'`);
          values[idx] = kw[key];
        } else if (key === 'caller' && meta.caller) {
          caller = kw[key];
        } else if (meta.kwargs && key !== '__keywords') {
          extra[key] = kw[key];
        } else if (key !== '__keywords') {
          throw typeError(`macro '${meta.name}' takes no keyword argument '${key}'`);
        }
      }
    }
    return body(values, varargs, extra, caller);
  } as JinjaMacro;
  Object.defineProperties(macro, {
    macroName: { value: meta.name },
    macroArgs: { value: names },
    templatePath: { value: meta.path },
  });
  return macro;
}

/** Jinja's `loop` variable. One per loop, advanced in place each iteration. */
export class LoopContext {
  index0 = -1;
  readonly depth = 1;
  readonly depth0 = 0;
  private lastChanged: unknown[] | undefined;
  constructor(private readonly items: unknown[]) {}
  get length(): number {
    return this.items.length;
  }
  get index(): number {
    return this.index0 + 1;
  }
  get revindex(): number {
    return this.items.length - this.index0;
  }
  get revindex0(): number {
    return this.items.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.items.length - 1;
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.items[this.index0 - 1] : undefined;
  }
  get nextitem(): unknown {
    return this.index0 + 1 < this.items.length ? this.items[this.index0 + 1] : undefined;
  }
  cycle(...args: unknown[]): unknown {
    if (!args.length) throw typeError('no items for cycling given');
    return args[this.index0 % args.length];
  }
  changed(...args: unknown[]): boolean {
    if (this.lastChanged !== undefined && pyEq(this.lastChanged, args)) return false;
    this.lastChanged = args;
    return true;
  }
}

/** Applies a `{% for ... if cond %}` filter before the loop, so loop.index counts kept items. */
export function loopItems(v: unknown): unknown[] {
  return toList(v);
}
