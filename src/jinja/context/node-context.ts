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
import type { Project } from '../../project/types';
import type { Session } from '../../warehouse';
import { isTruthy, splitArgs, type JinjaEngine } from '../engine';
import { NODE_STATE, packageLayer, type NodeState } from './context-layers';
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
  /** dbt's `model` dict, or a function building it when a template first reads `model`. */
  model: Record<string, unknown> | (() => Record<string, unknown>);
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

/**
 * dbt's `make_hook_config(sql, inside_transaction)`: a hook as JSON text, `{"sql": ..., "transaction": ...}`,
 * as dbt's macros write it, so that a macro printing one hands the config the same text as a direct
 * call; the config merge reads it back into a hook (project/merge-configs.ts). `before_begin(sql)`
 * and `after_commit(sql)` are hooks outside the build's transaction (before it opens / after it
 * commits; which of the two follows from the config they are given to), `in_transaction(sql)` one
 * inside it.
 */
function hookConfig(sql: unknown, insideTransaction: unknown): string {
  return JSON.stringify({ sql: String(sql), transaction: isTruthy(insideTransaction) });
}

export function createNodeContext(settings: RenderSettings, node: NodeBindings): NodeContext {
  const base: Record<string, unknown> = Object.create(packageLayer(settings, node.package));
  const scope = new RenderScope(settings.macros, base);
  const statements = new StatementRunner(settings.session, node.execute);
  const state: NodeState = { settings, node, scope, statements };
  // What the lazily built members (config, adapter, run_query, ...) are built from.
  base[NODE_STATE as unknown as string] = state;
  base.execute = node.execute;
  base.ref = (...raw: unknown[]) => node.ref(parseRefArgs(raw));
  base.source = (sourceName: string, tableName: string) => node.source(String(sourceName), String(tableName));
  base.this = node.this ?? null;
  base.make_hook_config = (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    return hookConfig(args[0] ?? kwargs.sql, args[1] ?? kwargs.inside_transaction);
  };
  base.before_begin = (sql: unknown) => hookConfig(sql, false);
  base.after_commit = (sql: unknown) => hookConfig(sql, false);
  base.in_transaction = (sql: unknown) => hookConfig(sql, true);
  const model = node.model;
  if (typeof model === 'function') {
    // Built on first read: a test's macros never read it, and there are thousands of tests.
    let dict: unknown;
    Object.defineProperty(base, 'model', {
      get: () => (dict ??= model()),
      set: (value: unknown) => {
        dict = value;
      },
      enumerable: true,
      configurable: true,
    });
  } else {
    base.model = model;
  }
  if (node.extra) Object.assign(base, node.extra);
  const context = scope.contextFor(node.package);
  // dbt's `context` variable: everything a template can see, macros included.
  base.context = context;
  return { context, scope, statements };
}
