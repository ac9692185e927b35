/**
 * One render's view of the macros: the context object templates see.
 *
 * dbt binds every macro to the context of the node being rendered, so the same macro renders
 * `{{ this }}` differently for each model. Instantiating every macro file for every node would cost
 * more than the render itself. Instead each macro file is instantiated once per invocation (in
 * `MacroIndex.bound`) against a context whose lookups go to *the render in progress*: the scope on
 * top of a stack that `RenderScope.run` pushes around every render and every macro call made from
 * TypeScript. Renders nest (compiling an ephemeral model inside a `ref()`), and the stack follows.
 *
 * A name resolves in the order dbt uses: the root project's macros (they override everything, e.g.
 * `generate_schema_name`), then the macros of the package whose code is running (a package's macro
 * calls its siblings unqualified), then the render's own values (`ref`, `this`, `config`, top-level
 * `{% set %}`s), then package namespaces (`dbt_utils.star`), then MartQL's built-in `dbt` macros.
 */
import { closestName, MartqlError } from '../../errors';
import { BUILTIN_PACKAGE, DISPATCH_PREFIXES, type MacroEntry, type MacroIndex } from './macro-index';

type Macro = (...args: unknown[]) => unknown;

/** Renders in progress, innermost last. */
const active: RenderScope[] = [];

/** The render in progress; a macro called outside any render is a bug in MartQL, not in the project. */
export function activeScope(): RenderScope {
  const scope = active[active.length - 1];
  if (!scope) throw new MartqlError('INTERNAL', 'a macro was called outside of a render (RenderScope.run)');
  return scope;
}

export class RenderScope {
  // Created on first use: most renders never reach a namespace, and see one package.
  private namespaces: Map<string, object> | undefined;
  private handlers: Map<string, ProxyHandler<object>> | undefined;
  /** Unique ids of the macros this render looked up: the node's `depends_on.macros`. */
  readonly usedMacros = new Set<string>();

  constructor(
    private readonly index: MacroIndex,
    /** The render's own values; top-level `{% set %}` of the rendered template lands here too. */
    readonly base: Record<string, unknown>,
  ) {}

  /** Runs `fn` (a render, a macro call) with this scope as the render in progress. */
  run<T>(fn: () => T): T {
    active.push(this);
    try {
      return fn();
    } finally {
      active.pop();
    }
  }

  /** The context for rendering code of package `pkg` (a model's package). */
  contextFor(pkg: string): object {
    return new Proxy(this.base, this.handler(pkg));
  }

  /** Resolves `name` as code in package `pkg` sees it; undefined when nothing has that name. */
  lookup(pkg: string, name: string): unknown {
    const index = this.index;
    const own =
      index.get(index.rootPackage, name) ?? (pkg === index.rootPackage ? undefined : index.get(pkg, name));
    if (own) return this.macro(own);
    if (name in this.base) return this.base[name];
    if (index.hasPackage(name)) return this.namespace(name);
    const builtin = index.get(BUILTIN_PACKAGE, name);
    return builtin ? this.macro(builtin) : undefined;
  }

  /** `pkg.macro_name`: an object whose properties are that package's macros. */
  namespace(pkg: string): object {
    this.namespaces ??= new Map();
    let ns = this.namespaces.get(pkg);
    if (!ns) {
      ns = new Proxy(Object.create(null) as object, {
        get: (_t, name) => {
          if (typeof name !== 'string') return undefined;
          const entry = this.index.get(pkg, name);
          if (!entry) throw this.unknownMacro(`${pkg}.${name}`, [pkg]);
          return this.macro(entry);
        },
        has: (_t, name) => typeof name === 'string' && this.index.get(pkg, name) !== undefined,
      });
      this.namespaces.set(pkg, ns);
    }
    return ns;
  }

  /** `adapter.dispatch(name, macro_namespace)`: the first `postgres__name` / `default__name` found. */
  dispatch(name: string, namespace?: string): Macro {
    const entry = this.index.dispatchEntry(name, namespace);
    if (entry) return this.macro(entry) as Macro;
    const searched = this.index.dispatchSearchOrder(namespace);
    throw new MartqlError(
      'UNKNOWN_MACRO',
      `adapter.dispatch('${name}'${namespace ? `, '${namespace}'` : ''}) found no ${DISPATCH_PREFIXES.map((p) => `${p}__${name}`).join(' or ')} in ${searched.map((p) => `'${p}'`).join(', ')}`,
    );
  }

  /** An error for a macro name that resolves to nothing, with the closest existing name. */
  unknownMacro(name: string, packages?: string[]): MartqlError {
    const candidates = packages
      ? [...this.index.entries()].filter((e) => packages.includes(e.info.package)).map((e) => e.info.name)
      : this.index.allNames();
    const close = closestName(name.split('.').pop() ?? name, candidates);
    return new MartqlError('UNKNOWN_MACRO', `macro '${name}' is not defined`, {
      hint: close ? `did you mean '${close}'?` : undefined,
    });
  }

  private macro(entry: MacroEntry): unknown {
    this.usedMacros.add(entry.info.uniqueId);
    return this.index.bound(entry);
  }

  private handler(pkg: string): ProxyHandler<object> {
    this.handlers ??= new Map();
    let handler = this.handlers.get(pkg);
    if (!handler) {
      handler = {
        get: (_t, name) => (typeof name === 'string' ? this.lookup(pkg, name) : undefined),
        has: (_t, name) => typeof name === 'string' && this.lookup(pkg, name) !== undefined,
        set: (_t, name, value) => {
          if (typeof name === 'string') this.base[name] = value;
          return true;
        },
      };
      this.handlers.set(pkg, handler);
    }
    return handler;
  }
}
