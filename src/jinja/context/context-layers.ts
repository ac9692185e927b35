/**
 * The prototype layers under every render's base context (node-context.ts).
 *
 * A large project renders thousands of nodes (a 2,000-model project with its tests: 12,000 renders
 * between parse and compile), and most of a render context is the same for all of them or is
 * never read. So a render's base holds only its per-node values (`ref`, `source`, `this`, `model`,
 * `execute`, `context`); under it, one layer per package (`var`), one per invocation (`target`,
 * `flags`, `env_var`, ...) and the members built on first read from the node's state (`config`,
 * `adapter`, `run_query` and the other statement functions, `is_incremental`,
 * `should_full_refresh`, `builtins`). A lazily built member becomes an own property of the base
 * when read or assigned, so each render still sees its own.
 */
import { MartqlError } from '../../errors';
import { resolveVar } from '../../project';
import type { Project } from '../../project/types';
import { isTruthy, splitArgs } from '../engine';
import { createAdapter } from './adapter';
import type { ConfigBinding, NodeBindings, RenderSettings } from './node-context';
import type { RenderScope } from './render-scope';
import type { StatementRunner } from './statements';

/** What a render's lazily built members are built from, kept on its base under NODE_STATE. */
export interface NodeState {
  settings: RenderSettings;
  node: NodeBindings;
  scope: RenderScope;
  statements: StatementRunner;
}

export const NODE_STATE: unique symbol = Symbol('martql.nodeState');

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

/**
 * The values every render of one invocation shares, and those every node of one package shares,
 * as two prototype layers under each render's base: a render then allocates only its per-node
 * members (12,000 renders for a 2,000-model project with its tests). Rebuilt when `graph` is
 * installed, which happens once the manifest exists (after the parse).
 */
interface SharedLayers {
  graph: RenderSettings['graph'];
  invocation: Record<string, unknown>;
  packages: Map<string, Record<string, unknown>>;
}

const layersBySettings = new WeakMap<RenderSettings, SharedLayers>();

function invocationLayer(settings: RenderSettings): Record<string, unknown> {
  const layer: Record<string, unknown> = Object.create(settings.shared);
  Object.assign(layer, {
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
    target: settings.target,
    invocation_id: settings.invocationId,
    run_started_at: settings.runStartedAt,
    flags: settings.flags,
    project_name: settings.project.name,
    log: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      if (isTruthy(args[1] ?? kwargs.info ?? false)) settings.log?.(String(args[0] ?? kwargs.msg));
      return '';
    },
  });
  if (settings.graph) Object.defineProperty(layer, 'graph', { get: settings.graph, enumerable: true });
  defineLazyMembers(layer);
  return layer;
}

function varFunction(project: Project, pkg: string) {
  return Object.assign(
    (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const name = String(args[0] ?? kwargs.name);
      const found = resolveVar(project, pkg, name);
      if (found.found) return found.value;
      const fallback = args.length > 1 ? args[1] : kwargs.default;
      if (fallback !== undefined) return fallback;
      throw new MartqlError('MISSING_VAR', `var '${name}' is not defined and has no default`, {
        hint: `set it in dbt_project.yml under vars:, or pass --vars '{${name}: ...}'`,
      });
    },
    { has_var: (name: string) => resolveVar(project, pkg, name).found },
  );
}

type Builder = (state: NodeState, base: Record<string, unknown>) => unknown;

const STATEMENT_FUNCTIONS = ['run_query', 'statement', 'load_result', 'store_result', 'store_raw_result'];

/** The members built on first read, in the order a render used to define them. */
const LAZY_MEMBERS: [string, Builder][] = [
  ...STATEMENT_FUNCTIONS.map((name): [string, Builder] => [
    name,
    (state, base) => {
      // One StatementRunner gives all of them: define the others too, unless already set.
      const all = state.statements.contextFunctions();
      for (const other of Object.keys(all)) {
        if (other !== name && !Object.prototype.hasOwnProperty.call(base, other))
          own(base, other, all[other]);
      }
      return all[name];
    },
  ]),
  ['config', (state) => configCallable(state.node.config, state.node.path)],
  ['is_incremental', (state) => () => state.node.isIncremental()],
  // A model's `full_refresh` config wins over the --full-refresh flag, as in dbt.
  [
    'should_full_refresh',
    (state) => () => {
      const configured = state.node.config.get('full_refresh');
      return typeof configured === 'boolean' ? configured : Boolean(state.settings.flags.FULL_REFRESH);
    },
  ],
  [
    'adapter',
    (state) =>
      createAdapter({
        scope: state.scope,
        session: state.settings.session,
        execute: state.node.execute,
        statements: state.statements,
      }),
  ],
  [
    'builtins',
    (state, base) => ({
      ref: base.ref,
      source: base.source,
      config: base.config,
      return: state.settings.shared.return,
    }),
  ],
];

function own(base: Record<string, unknown>, name: string, value: unknown): unknown {
  Object.defineProperty(base, name, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

function defineLazyMembers(layer: Record<string, unknown>): void {
  for (const [name, build] of LAZY_MEMBERS) {
    Object.defineProperty(layer, name, {
      get(this: Record<string, unknown>) {
        const state = this[NODE_STATE as unknown as string] as NodeState | undefined;
        return state ? own(this, name, build(state, this)) : undefined;
      },
      set(this: Record<string, unknown>, value: unknown) {
        own(this, name, value);
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/** The layer a render's base inherits from, for a node of package `pkg`. */
export function packageLayer(settings: RenderSettings, pkg: string): Record<string, unknown> {
  let layers = layersBySettings.get(settings);
  if (!layers || layers.graph !== settings.graph) {
    layers = { graph: settings.graph, invocation: invocationLayer(settings), packages: new Map() };
    layersBySettings.set(settings, layers);
  }
  let layer = layers.packages.get(pkg);
  if (!layer) {
    layer = Object.create(layers.invocation) as Record<string, unknown>;
    layer.var = varFunction(settings.project, pkg);
    layers.packages.set(pkg, layer);
  }
  return layer;
}
