/**
 * Builds the context one node renders in: dbt's `ref`, `source`, `config`, `var`, `this`, `target`,
 * `adapter`, `run_query`, ... bound to that node.
 *
 * The same builder serves the parse phase (`execute` false: calls are captured, nothing touches the
 * database) and the compile/run phase (`execute` true: refs resolve to relations, queries run). What
 * differs between the phases is passed in as `NodeBindings`.
 */
import { MartqlError } from '../../errors';
import type { RefCall } from '../../graph/types';
import { resolveVar } from '../../project';
import type { Project } from '../../project/types';
import type { Session } from '../../warehouse';
import { isTruthy, splitArgs, type JinjaEngine } from '../engine';
import { createAdapter } from './adapter';
import type { MacroIndex } from './macro-index';
import type { Relation } from './relation';
import { RenderScope } from './render-scope';
import { StatementRunner } from './statements';

/** What `target` says: where this invocation builds. */
export interface TargetInfo {
  name: string;
  schema: string;
  database: string;
  type: 'postgres';
  threads: number;
  user?: string;
}

/** Invocation-wide settings shared by every node's render. */
export interface RenderSettings {
  engine: JinjaEngine;
  macros: MacroIndex;
  project: Project;
  target: TargetInfo;
  invocationId: string;
  runStartedAt: unknown;
  flags: Record<string, unknown>;
  /** `sharedGlobals()`: inherited by every render's base. */
  shared: Record<string, unknown>;
  /** The warehouse session for `run_query` and introspection; absent when compiling offline. */
  session?: Session;
  /** dbt's `graph` variable, built once per invocation on first use. */
  graph?: () => unknown;
  log?: (message: string) => void;
  /** Environment variables templates read (name -> value), so a parse cache can tell when they change. */
  envRead?: Map<string, string | undefined>;
}

/** What `config` does in this phase. */
export interface ConfigBinding {
  /** `config(key=value, ...)` in the template. */
  set(values: Record<string, unknown>): void;
  get(key: string): unknown;
}

/** The per-node behaviour of the phase. */
export interface NodeBindings {
  package: string;
  /** Path for error messages (relative to the project root). */
  path: string;
  execute: boolean;
  ref(call: RefCall): unknown;
  source(sourceName: string, tableName: string): unknown;
  config: ConfigBinding;
  this?: Relation;
  model: Record<string, unknown>;
  isIncremental(): boolean;
  /** Extra values (`sql` for materializations, `pre_hooks`, ...). */
  extra?: Record<string, unknown>;
}

export interface NodeContext {
  context: object;
  scope: RenderScope;
  statements: StatementRunner;
}

export function parseRefArgs(raw: unknown[]): RefCall {
  const { args, kwargs } = splitArgs(raw);
  const version = (kwargs.version ?? kwargs.v) as string | number | undefined;
  const strings = args.map((a: unknown) => String(a));
  if (strings.length === 0 || strings.length > 2) {
    throw new MartqlError(
      'JINJA_RENDER',
      `ref() takes a model name and optionally a package: ref(${strings.join(', ')})`,
    );
  }
  const call: RefCall =
    strings.length === 2 ? { package: strings[0], name: strings[1] } : { name: strings[0] };
  if (version !== undefined && version !== null) call.version = version;
  return call;
}

function configCallable(binding: ConfigBinding, path: string) {
  const config = (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    const values = {
      ...(args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : {}),
      ...kwargs,
    };
    delete values.caller;
    binding.set(values);
    return '';
  };
  return Object.assign(config, {
    get: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const value = binding.get(String(args[0] ?? kwargs.name));
      const fallback = args.length > 1 ? args[1] : (kwargs.default ?? null);
      return value === undefined || value === null ? fallback : value;
    },
    require: (key: string) => {
      const value = binding.get(key);
      if (value === undefined || value === null) {
        // No location: the template engine adds the file and line of the call.
        throw new MartqlError('COMPILER_ERROR', `config '${key}' is required in ${path} but not set`);
      }
      return value;
    },
    set: (key: string, value: unknown) => {
      binding.set({ [key]: value });
      return '';
    },
    // `persist_docs: {relation: true, columns: true}` asks persist_docs() to write comments.
    persist_relation_docs: () => persistDocs(binding, 'relation'),
    persist_column_docs: () => persistDocs(binding, 'columns'),
  });
}

function persistDocs(binding: ConfigBinding, part: 'relation' | 'columns'): boolean {
  const config = binding.get('persist_docs');
  return typeof config === 'object' && config !== null && isTruthy((config as Record<string, unknown>)[part]);
}

export function createNodeContext(settings: RenderSettings, node: NodeBindings): NodeContext {
  const base: Record<string, unknown> = Object.create(settings.shared);
  const scope = new RenderScope(settings.macros, base);
  const statements = new StatementRunner(settings.session, node.execute);
  const project = settings.project;

  Object.assign(base, statements.contextFunctions(), {
    execute: node.execute,
    ref: (...raw: unknown[]) => node.ref(parseRefArgs(raw)),
    source: (sourceName: string, tableName: string) => node.source(String(sourceName), String(tableName)),
    config: configCallable(node.config, node.path),
    var: Object.assign(
      (...raw: unknown[]) => {
        const { args, kwargs } = splitArgs(raw);
        const name = String(args[0] ?? kwargs.name);
        const found = resolveVar(project, node.package, name);
        if (found.found) return found.value;
        const fallback = args.length > 1 ? args[1] : kwargs.default;
        if (fallback !== undefined) return fallback;
        throw new MartqlError('MISSING_VAR', `var '${name}' is not defined and has no default`, {
          hint: `set it in dbt_project.yml under vars:, or pass --vars '{${name}: ...}'`,
        });
      },
      { has_var: (name: string) => resolveVar(project, node.package, name).found },
    ),
    env_var: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const name = String(args[0] ?? kwargs.var);
      const value = process.env[name];
      settings.envRead?.set(name, value);
      if (value !== undefined) return value;
      const fallback = args.length > 1 ? args[1] : kwargs.default;
      if (fallback !== undefined) return fallback;
      throw new MartqlError(
        'MISSING_ENV_VAR',
        `env_var('${name}'): the environment variable is not set and has no default`,
      );
    },
    this: node.this ?? null,
    model: node.model,
    is_incremental: () => node.isIncremental(),
    // A model's `full_refresh` config wins over the --full-refresh flag, as in dbt.
    should_full_refresh: () => {
      const configured = node.config.get('full_refresh');
      return typeof configured === 'boolean' ? configured : Boolean(settings.flags.FULL_REFRESH);
    },
    target: settings.target,
    invocation_id: settings.invocationId,
    run_started_at: settings.runStartedAt,
    flags: settings.flags,
    project_name: project.name,
    log: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      if (isTruthy(args[1] ?? kwargs.info ?? false)) settings.log?.(String(args[0] ?? kwargs.msg));
      return '';
    },
    adapter: createAdapter({ scope, session: settings.session, execute: node.execute, statements }),
    ...node.extra,
  });
  if (settings.graph) {
    const graph = settings.graph;
    Object.defineProperty(base, 'graph', { get: graph, enumerable: true });
  }
  base.builtins = { ref: base.ref, source: base.source, config: base.config, return: settings.shared.return };
  const context = scope.contextFor(node.package);
  // dbt's `context` variable: everything a template can see, macros included.
  base.context = context;
  return { context, scope, statements };
}
