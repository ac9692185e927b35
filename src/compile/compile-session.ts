/**
 * Everything one invocation shares while parsing and compiling: the template engine, the macro
 * index, the target and the (optional) warehouse session. Built once per `martql` command.
 */
import { randomUUID } from 'node:crypto';
import { createJinjaEngine, type JinjaEngine } from '../jinja/engine';
import { PyDatetime } from '../jinja/context/datetime-module';
import { sharedGlobals } from '../jinja/context/globals';
import { builtinMacroFiles, MacroIndex } from '../jinja/context/macro-index';
import type { RenderSettings, TargetInfo } from '../jinja/context/node-context';
import type { Project } from '../project/types';
import type { Session } from '../warehouse';
import { targetFromEnv } from './target';

export interface CompileOptions {
  target?: TargetInfo;
  /** The warehouse, for `run_query` and introspection while compiling; omit to compile offline. */
  session?: Session;
  fullRefresh?: boolean;
  /** dbt's `flags.WHICH`: the command being run. */
  which?: string;
  log?: (message: string) => void;
  engine?: JinjaEngine;
}

export class CompileSession {
  readonly engine: JinjaEngine;
  readonly macros: MacroIndex;
  readonly settings: RenderSettings;

  constructor(
    readonly project: Project,
    readonly options: CompileOptions = {},
  ) {
    this.engine = options.engine ?? createJinjaEngine();
    const dispatchOrder = new Map(project.config.dispatch.map((d) => [d.macroNamespace, d.searchOrder]));
    this.macros = new MacroIndex(
      this.engine,
      project.name,
      project.packages.map((p) => p.name),
      dispatchOrder,
    );
    for (const file of builtinMacroFiles()) this.macros.addFile(file);
    for (const file of project.macros) this.macros.addFile(file);
    const runStartedAt = new Date();
    this.settings = {
      engine: this.engine,
      macros: this.macros,
      project,
      target: options.target ?? targetFromEnv(),
      invocationId: randomUUID(),
      runStartedAt: new PyDatetime(runStartedAt),
      flags: {
        FULL_REFRESH: Boolean(options.fullRefresh),
        WHICH: options.which ?? 'compile',
        STORE_FAILURES: false,
        WARN_ERROR: false,
      },
      shared: sharedGlobals(),
      session: options.session,
      log: options.log,
      envRead: new Map(),
    };
  }

  get target(): TargetInfo {
    return this.settings.target;
  }
}
