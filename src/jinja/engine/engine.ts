/**
 * The template engine: compiles Jinja source once (nunjucks' lexer and parser, subclassed for
 * Jinja/dbt syntax, compiled to a synchronous JS function) and renders it against a context object
 * used by reference. See index.ts for the public API.
 */
import { MartqlError } from '../../errors';
import { Filter } from './filter-helpers';
import { builtinFilters } from './filters';
import { Frame, JinjaMacro } from './frames';
import { builtinGlobals } from './globals';
import { Nodes as N, TemplateError } from './nunjucks-internals';
import type { CompilerRegistry } from './compiler-patches';
import { macroParams, JinjaCompiler } from './compiler-statements';
import { parseTemplate } from './parser-statements';
import { RenderContext } from './render-context';
import { createRuntime } from './runtime';
import { builtinTests, Test } from './tests';
import { LruCache } from './template-cache';
import { PyTokenizer } from './tokenizer';
import { UnsupportedConstruct } from './unsupported';
import type { UndefinedMode } from './lookup';

export interface MacroInfo {
  name: string;
  kind: string;
  args: string[];
  line: number;
}

export interface CompiledTemplate {
  path: string;
  /** @internal the compiled root function */
  readonly root: (env: unknown, context: RenderContext, frame: Frame, runtime: unknown) => string;
  /** The template's top-level macro definitions. */
  readonly macros: readonly MacroInfo[];
}

export interface RenderOptions {
  /**
   * 'strict' (default) is Jinja's Undefined: `{{ missing }}` renders '' but `missing.attr` and
   * `missing()` raise. 'lenient' is dbt's parse-time Undefined: attribute access and calls on an
   * undefined value yield undefined.
   */
  undefined?: UndefinedMode;
}

export interface JinjaEngineOptions {
  filters?: Record<string, (...args: any[]) => unknown>;
  tests?: Record<string, (value: unknown, ...args: any[]) => boolean>;
  globals?: Record<string, unknown>;
}

export interface JinjaEngine {
  compile(source: string, path: string): CompiledTemplate;
  render(template: CompiledTemplate, context: object, options?: RenderOptions): string;
  instantiateMacros(
    template: CompiledTemplate,
    context: object,
    options?: RenderOptions,
  ): Record<string, JinjaMacro>;
  listMacros(source: string, path: string): MacroInfo[];
}

function syntaxError(e: unknown, path: string, tokens: any): MartqlError {
  if (e instanceof MartqlError) return e;
  if (e instanceof UnsupportedConstruct) {
    return new MartqlError('JINJA_UNSUPPORTED', e.message, {
      location: { file: path, line: e.lineno + 1, column: e.colno + 1 },
      hint: e.hint,
    });
  }
  const err = e as any;
  const located = e instanceof TemplateError && err.lineno !== undefined;
  const line = located ? err.lineno : (tokens?.lineno ?? 0) + 1;
  const column = located ? err.colno : (tokens?.colno ?? 0) + 1;
  const message = String(err?.message ?? e).replace(/^\(unknown path\)\s*/, '');
  return new MartqlError('JINJA_SYNTAX', message, { location: { file: path, line, column }, cause: e });
}

type RootFn = CompiledTemplate['root'];
/** `new Function('K', 'P', code)`: binds the hoisted constants and the path, returns the root. */
type Factory = (K: readonly unknown[], P: string) => { root: RootFn };

/** A template's compiled code, independent of its path and of the engine (see template-cache.ts). */
interface TemplateCode {
  factory: Factory;
  consts: readonly unknown[];
  macros: readonly MacroInfo[];
  filters: readonly string[];
  tests: readonly string[];
}

/** Budgets in characters: sources (plus their constants) and generated code. */
const SOURCE_CACHE_CHARS = 16 * 1024 * 1024;
const CODE_CACHE_CHARS = 16 * 1024 * 1024;
const bySource = new LruCache<string, TemplateCode>(SOURCE_CACHE_CHARS);
const byCode = new LruCache<string, Factory>(CODE_CACHE_CHARS);

/** @internal Empties the process-wide template caches (benchmarks and tests). */
export function clearTemplateCaches(): void {
  bySource.clear();
  byCode.clear();
}

/** Lexes, parses and generates code for one template (no cache). Throws located errors. */
function compileCode(source: string, path: string, registry: CompilerRegistry): TemplateCode {
  // Jinja normalises newlines and drops one trailing newline (keep_trailing_newline=False).
  const text = source.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  let tokens: any;
  let code: string;
  let macros: MacroInfo[];
  let compiler: JinjaCompiler;
  try {
    tokens = new PyTokenizer(text, {});
    const ast = parseTemplate(tokens);
    macros = listTopLevelMacros(ast);
    compiler = new JinjaCompiler(path, registry);
    compiler.compile(ast);
    code = compiler.getCode();
  } catch (e) {
    throw syntaxError(e, path, tokens);
  }
  let factory = byCode.get(code);
  if (!factory) {
    try {
      factory = new Function('K', 'P', code) as Factory;
    } catch (e) {
      throw new MartqlError('INTERNAL', `compiled template for ${path} is not valid JavaScript`, {
        location: { file: path },
        cause: e,
        data: { code },
      });
    }
    byCode.set(code, factory, code.length);
  }
  return {
    factory,
    consts: compiler.consts,
    macros,
    filters: [...compiler.usedFilters],
    tests: [...compiler.usedTests],
  };
}

function listTopLevelMacros(ast: any): MacroInfo[] {
  return ast.children
    .filter((n: any) => n instanceof N.Macro)
    .map((n: any) => ({
      name: n.name.value,
      kind: n.kind ?? 'macro',
      args: macroParams(n.args).names,
      line: n.lineno + 1,
    }));
}

export function createJinjaEngine(options: JinjaEngineOptions = {}): JinjaEngine {
  const registry: { filters: Record<string, Filter>; tests: Record<string, Test> } = {
    filters: {},
    tests: {},
  };
  Object.assign(registry.filters, builtinFilters(registry), options.filters);
  Object.assign(registry.tests, builtinTests(registry), options.tests);
  const globals = Object.assign(builtinGlobals(), options.globals);
  const env = { filters: registry.filters, tests: registry.tests };
  const runtimes = { strict: createRuntime('strict'), lenient: createRuntime('lenient') };
  const cache = new Map<string, CompiledTemplate>();

  /** A cached compilation is valid here when this engine has every filter and test it names. */
  function usable(code: TemplateCode): boolean {
    for (const f of code.filters) if (!(f in registry.filters)) return false;
    for (const t of code.tests) if (!(t in registry.tests)) return false;
    return true;
  }

  function compile(source: string, path: string): CompiledTemplate {
    const key = `${path}\0${source}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let code = bySource.get(source);
    if (!code || !usable(code)) {
      code = compileCode(source, path, registry);
      bySource.set(source, code, source.length + code.consts.length * 8);
    }
    const macros = code.macros.map((m) => ({ ...m, args: [...m.args] }));
    const compiled: CompiledTemplate = { path, root: code.factory(code.consts, path).root, macros };
    cache.set(key, compiled);
    return compiled;
  }

  function run(template: CompiledTemplate, rc: RenderContext, options?: RenderOptions): string {
    const runtime = runtimes[options?.undefined ?? 'strict'];
    try {
      return template.root(env, rc, new Frame(), runtime);
    } catch (e) {
      if (e instanceof MartqlError) throw e;
      throw new MartqlError('JINJA_RENDER', String((e as Error)?.message ?? e), {
        location: { file: template.path },
        cause: e,
      });
    }
  }

  return {
    compile,
    render(template, context, opts) {
      return run(template, new RenderContext(context as Record<string, unknown>, globals, null), opts);
    },
    instantiateMacros(template, context, opts) {
      const locals: Record<string, unknown> = {};
      run(template, new RenderContext(context as Record<string, unknown>, globals, locals), opts);
      const out: Record<string, JinjaMacro> = {};
      for (const m of template.macros) out[m.name] = locals[m.name] as JinjaMacro;
      return out;
    },
    listMacros(source, path) {
      return compile(source, path).macros.map((m) => ({ ...m, args: [...m.args] }));
    },
  };
}
