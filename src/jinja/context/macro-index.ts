/**
 * Every macro a project can call, compiled once and indexed by package and name.
 *
 * Three kinds of package contribute macros: the root project, its dependencies, and MartQL's built-in
 * `dbt` package (`include/dbt/macros`). Each macro file is instantiated once per invocation
 * (`bound`); which render its macros see is decided at call time by `RenderScope` (render-scope.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { MartqlError } from '../../errors';
import type { MacroInfo } from '../../graph/types';
import type { ProjectFile } from '../../project/types';
import type { CompiledTemplate, JinjaEngine } from '../engine';
import { activeScope } from './render-scope';

export const BUILTIN_PACKAGE = 'dbt';

/** The adapter types tried by `adapter.dispatch`, most specific first. */
export const DISPATCH_PREFIXES = ['postgres', 'default'];

export interface MacroEntry {
  info: MacroInfo;
  template: CompiledTemplate;
}

export class MacroIndex {
  /** package -> macro name -> entry */
  private readonly byPackage = new Map<string, Map<string, MacroEntry>>();
  /** Each macro file's macros, instantiated once (see render-scope.ts for why that is safe). */
  private readonly instantiated = new Map<CompiledTemplate, Record<string, unknown>>();
  /** isBuiltinUnchanged answers; macros are all added before the first render asks. */
  private readonly builtinAnswers = new Map<string, boolean>();
  /** dispatchEntry answers: name -> namespace -> entry (null: none). */
  private readonly dispatched = new Map<string, Map<string | undefined, MacroEntry | null>>();

  constructor(
    readonly engine: JinjaEngine,
    readonly rootPackage: string,
    /** Package names in resolution order (root first); the built-in package is implicit. */
    readonly packages: string[],
    /** `dispatch:` config of the root project: namespace -> packages searched first. */
    readonly dispatchOrder: Map<string, string[]>,
  ) {}

  /** Compiles a macro file and indexes its macros. A second definition in one package is an error. */
  addFile(file: ProjectFile): void {
    const template = this.engine.compile(file.contents, file.path);
    const macros = this.packageMacros(file.package, true)!;
    this.builtinAnswers.clear();
    this.dispatched.clear();
    for (const def of this.engine.listMacros(file.contents, file.path)) {
      const existing = macros.get(def.name);
      if (existing) {
        throw new MartqlError(
          'DUPLICATE_NODE',
          `macro '${def.name}' is defined twice in package '${file.package}': ${existing.info.path}:${existing.info.line} and ${file.path}:${def.line}`,
          { location: { file: file.path, line: def.line } },
        );
      }
      const kind = def.kind === 'test' || def.kind === 'materialization' ? def.kind : 'macro';
      macros.set(def.name, {
        template,
        info: {
          uniqueId: `macro.${file.package}.${def.name}`,
          package: file.package,
          name: def.name,
          path: file.path,
          absPath: file.absPath,
          line: def.line,
          args: def.args,
          kind,
        },
      });
    }
  }

  /**
   * The macro of `entry`, ready to call. Its file is instantiated on first use against a context
   * that resolves free names through the render in progress (`activeScope()`), as code of the
   * file's own package; writes from the file's top level (its macro definitions) stay in `sink`,
   * so one file's definitions never leak into another package's namespace.
   */
  bound(entry: MacroEntry): unknown {
    let macros = this.instantiated.get(entry.template);
    if (!macros) {
      const pkg = entry.info.package;
      const sink: Record<string, unknown> = Object.create(null);
      const context = new Proxy(sink, {
        // The render's lookup first, so a root-project override beats a sibling in this file (and
        // the call counts in depends_on); the file's own top-level values are the fallback.
        get: (t, name) => {
          if (typeof name !== 'string') return undefined;
          const found = activeScope().lookup(pkg, name);
          return found !== undefined ? found : t[name];
        },
        has: (t, name) =>
          typeof name === 'string' && (activeScope().lookup(pkg, name) !== undefined || name in t),
        set: (t, name, value) => {
          if (typeof name === 'string') t[name] = value;
          return true;
        },
      });
      macros = this.engine.instantiateMacros(entry.template, context);
      this.instantiated.set(entry.template, macros);
    }
    return macros[entry.info.name];
  }

  get(pkg: string, name: string): MacroEntry | undefined {
    return this.byPackage.get(pkg)?.get(name);
  }

  /**
   * True when code of package `pkg` calling `name` gets MartQL's built-in macro, and (when
   * `dispatched`, for a built-in that calls `adapter.dispatch(name, 'dbt')`) that dispatch lands
   * on the built-in `default__name`: no package overrides either. Lets hot paths compute what the
   * built-in computes without rendering it, and fall back to the render for any override.
   */
  isBuiltinUnchanged(pkg: string, name: string, dispatched: boolean): boolean {
    const key = `${pkg}\u0000${name}\u0000${dispatched}`;
    let answer = this.builtinAnswers.get(key);
    if (answer === undefined) {
      answer =
        this.get(this.rootPackage, name) === undefined &&
        this.get(pkg, name) === undefined &&
        !this.hasPackage(name) &&
        this.get(BUILTIN_PACKAGE, name) !== undefined &&
        (!dispatched || this.dispatchTarget(name) === this.get(BUILTIN_PACKAGE, `default__${name}`));
      this.builtinAnswers.set(key, answer);
    }
    return answer;
  }

  /** What `adapter.dispatch(name, 'dbt')` finds. */
  private dispatchTarget(name: string): MacroEntry | undefined {
    return this.dispatchEntry(name, BUILTIN_PACKAGE) ?? undefined;
  }

  /**
   * The macro `adapter.dispatch(name, namespace)` calls: the first `postgres__name` or
   * `default__name` in the packages `dispatchSearchOrder` gives, or null. Remembered per name and
   * namespace (macros are all added before the first render), since a dispatching macro runs this
   * search on every call.
   */
  dispatchEntry(name: string, namespace: string | undefined): MacroEntry | null {
    let byNamespace = this.dispatched.get(name);
    if (!byNamespace) {
      byNamespace = new Map();
      this.dispatched.set(name, byNamespace);
    }
    let entry = byNamespace.get(namespace);
    if (entry === undefined) {
      entry = null;
      search: for (const pkg of this.dispatchSearchOrder(namespace)) {
        for (const prefix of DISPATCH_PREFIXES) {
          const found = this.get(pkg, `${prefix}__${name}`);
          if (found) {
            entry = found;
            break search;
          }
        }
      }
      byNamespace.set(namespace, entry);
    }
    return entry;
  }

  hasPackage(pkg: string): boolean {
    return pkg === BUILTIN_PACKAGE || this.packages.includes(pkg);
  }

  /** All macros, for the manifest. */
  *entries(): IterableIterator<MacroEntry> {
    for (const macros of this.byPackage.values()) yield* macros.values();
  }

  /** Every macro name visible unqualified somewhere (for "did you mean" hints). */
  allNames(): string[] {
    return [...this.entries()].map((e) => e.info.name);
  }

  /**
   * The packages `adapter.dispatch(name, namespace)` searches, in order: the project's `dispatch:`
   * config when it names the namespace, else the root project then the namespace itself (dbt's
   * default for dependencies), or just the namespace for the built-in `dbt` package. Without a
   * namespace: the root project, then the built-in package.
   */
  dispatchSearchOrder(namespace: string | undefined): string[] {
    if (namespace === undefined) return [this.rootPackage, BUILTIN_PACKAGE];
    const configured = this.dispatchOrder.get(namespace);
    if (configured) return configured;
    if (namespace === BUILTIN_PACKAGE) return [BUILTIN_PACKAGE];
    return namespace === this.rootPackage ? [namespace] : [this.rootPackage, namespace];
  }

  private packageMacros(pkg: string, create = false): Map<string, MacroEntry> | undefined {
    let macros = this.byPackage.get(pkg);
    if (!macros && create) {
      macros = new Map();
      this.byPackage.set(pkg, macros);
    }
    return macros;
  }
}

/** The built-in files as first read: they ship with MartQL and do not change while it runs. */
let builtinFiles: ProjectFile[] | undefined;

/**
 * MartQL's built-in `dbt` macro package, shipped in `include/dbt/macros`: read once per process
 * (every compile session and the parse cache key asked for it, each reading and hashing the files).
 */
export function builtinMacroFiles(): ProjectFile[] {
  builtinFiles ??= readBuiltinMacroFiles();
  return builtinFiles.map((file) => ({ ...file }));
}

function readBuiltinMacroFiles(): ProjectFile[] {
  const dir = path.resolve(__dirname, '..', '..', '..', 'include', 'dbt', 'macros');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const absPath = path.join(dir, f);
      const contents = fs.readFileSync(absPath, 'utf8');
      return {
        package: BUILTIN_PACKAGE,
        path: `macros/${f}`,
        absPath,
        contents,
        checksum: createHash('sha256').update(contents).digest('hex'),
      };
    });
}
