/**
 * The compile phase: render a node with `execute = true`, refs resolved to real relations and
 * ephemeral models inlined as CTEs, giving the SQL a materialization will run.
 */
import { createHash } from 'node:crypto';
import { closestName, MartqlError } from '../errors';
import { manifestToJson } from '../graph/manifest-json';
import { buildRefIndex, resolveRef, type RefIndex } from '../graph/resolve-ref';
import type { Manifest, ManifestNode, RefCall } from '../graph/types';
import { callMacro, isTruthy } from '../jinja/engine';
import { createNodeContext, parseRefArgs, type NodeBindings } from '../jinja/context/node-context';
import { Relation, type RelationType } from '../jinja/context/relation';
import type { RenderScope } from '../jinja/context/render-scope';
import { mergeConfigs, normalizeConfig } from '../project/merge-configs';
import type { NodeConfig } from '../project/types';
import type { ExecutedStatement } from '../jinja/context/statements';
import { quoteIdent } from '../warehouse';
import type { CompileSession } from './compile-session';
import { modelDict } from './model-dict';
import { renderError } from './render-error';
import { displayPath } from './parse-node';
import { builtinTestSql, builtinTestUnchanged, fitsBuiltinTest, isBuiltinTestName } from './builtin-test-sql';
import { evaluateTestArguments, needsContext } from './test-arguments';

export interface CompiledNode {
  uniqueId: string;
  /** The SQL to run, with ephemeral dependencies inlined as CTEs. */
  sql: string;
  /** Unique ids of the ephemeral models inlined, dependencies first. */
  ephemerals: string[];
  /** Statements the render ran itself (`run_query`, `statement`). */
  statements: ExecutedStatement[];
  /** The node's config after the render: a test macro's `config(severity=...)` lands here. */
  config: NodeConfig;
}

export interface CompileNodeOptions {
  /** What `is_incremental()` answers for this node (the runner knows; compile says false). */
  isIncremental?: boolean;
  /**
   * A microbatch window: refs to upstream models that declare `event_time` are narrowed to it, as
   * dbt's microbatch does, so each batch reads only its slice of the inputs.
   */
  batch?: { start: Date; end: Date };
  /** Render this Jinja instead of the node's own code, in the node's context (hooks). */
  source?: { code: string; label: string };
  /** Extra context values (a materialization's `sql`, hooks, ...). */
  extra?: Record<string, unknown>;
}

interface Cte {
  id: string;
  name: string;
  sql: string;
}

function relationType(materialized: unknown): RelationType {
  switch (materialized) {
    case 'view':
      return 'view';
    case 'ephemeral':
      return 'cte';
    default:
      return 'table';
  }
}

/** `with __dbt__cte__a as (...), ` placed inside a leading WITH, or as a new WITH clause. */
export function injectCtes(sql: string, ctes: Cte[]): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `__dbt__cte__${c.name} as (\n${c.sql.trim()}\n)`).join(', ');
  const leadingWith = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)with\b(\s+recursive\b)?/i.exec(sql);
  if (leadingWith) {
    const head = sql.slice(0, leadingWith[0].length);
    return `${head} ${defs},${sql.slice(leadingWith[0].length)}`;
  }
  return `with ${defs}\n${sql}`;
}

export class NodeCompiler {
  private readonly refIndex: RefIndex;
  /** The rendered relation of each node a built-in test refers to (builtinTest). */
  private readonly relationTexts = new Map<string, string>();
  /** Compiled ephemeral bodies, shared by every node that inlines them. */
  private readonly ephemeralCache = new Map<string, { sql: string; ctes: Cte[] }>();

  constructor(
    private readonly cs: CompileSession,
    readonly manifest: Manifest,
  ) {
    this.refIndex = buildRefIndex(
      [...manifest.nodes.values()],
      [...(manifest.disabled?.values() ?? [])],
      cs.project.name,
    );
    // dbt's `graph` variable: the manifest as dicts, built on first use (most renders never read it).
    let graph: unknown;
    cs.settings.graph = () => {
      if (!graph) {
        const json = manifestToJson(manifest, {
          projectName: cs.project.name,
          targetDir: '',
          invocationId: cs.settings.invocationId,
          generatedAt: new Date().toISOString(),
        });
        graph = {
          nodes: json.nodes,
          sources: json.sources,
          exposures: {},
          metrics: {},
          groups: {},
          semantic_models: {},
        };
      }
      return graph;
    };
  }

  /** The relation a node is built as. */
  relationOf(node: ManifestNode): Relation {
    const rel = node.relation;
    if (node.config.materialized === 'ephemeral')
      return new Relation({ identifier: `__dbt__cte__${node.name}`, type: 'cte' });
    return new Relation({
      database: rel?.database,
      schema: rel?.schema ?? this.cs.target.schema,
      identifier: rel?.identifier ?? node.name,
      type: relationType(node.config.materialized),
    });
  }

  compile(uniqueId: string, options: CompileNodeOptions = {}): CompiledNode {
    const node = this.node(uniqueId);
    const { sql, ctes, statements, config } = this.render(node, options);
    return { uniqueId, sql: injectCtes(sql, ctes), ephemerals: ctes.map((c) => c.id), statements, config };
  }

  private node(uniqueId: string): ManifestNode {
    const node = this.manifest.nodes.get(uniqueId);
    if (!node) throw new MartqlError('INTERNAL', `no node ${uniqueId} in the manifest`);
    return node;
  }

  private render(
    node: ManifestNode,
    options: CompileNodeOptions,
  ): { sql: string; ctes: Cte[]; statements: ExecutedStatement[]; config: NodeConfig } {
    const ctes: Cte[] = [];
    const addCtes = (more: Cte[]) => {
      for (const cte of more) if (!ctes.some((c) => c.id === cte.id)) ctes.push(cte);
    };
    const shownPath = node.location.file;
    let config: NodeConfig = node.config;
    if (node.language === 'typescript' && !options.source) {
      const sql = `-- TypeScript model: its rows are computed by run() in ${shownPath}`;
      return { sql, ctes: [], statements: [], config };
    }
    const ref = (call: RefCall): unknown => {
      const target = this.resolveRefCall(node, call);
      if (target.config.materialized === 'ephemeral') {
        const inlined = this.ephemeral(target);
        addCtes(inlined.ctes);
        addCtes([{ id: target.uniqueId, name: target.name, sql: inlined.sql }]);
      }
      return this.batchFilter(this.relationOf(target), target, options.batch);
    };
    const source = (sourceName: string, tableName: string) =>
      this.sourceRelation(node, sourceName, tableName);
    // Before the render context and its bindings are built: most tests need neither.
    if (
      node.testMetadata &&
      node.attachedNode !== undefined &&
      !options.source &&
      !options.extra &&
      !options.batch
    ) {
      const sql = this.builtinTest(node, ref, source);
      if (sql !== undefined) return { sql, ctes, statements: [], config };
    }
    const bindings: NodeBindings = {
      package: node.package,
      path: shownPath,
      execute: true,
      ref,
      source,
      config: {
        set: (values) => {
          config = mergeConfigs(config, normalizeConfig(values));
        },
        get: (key) => config[key],
      },
      this: this.relationOf(node),
      model: () =>
        modelDict({
          uniqueId: node.uniqueId,
          resourceType: node.resourceType,
          // The fields modelDict reads, not a spread of the whole node: this runs for every test too.
          file: {
            package: node.package,
            path: node.path,
            absPath: node.absPath,
            checksum: node.checksum,
            name: node.name,
            fqn: node.fqn,
            contents: node.rawCode,
            properties: { description: node.description, columns: node.columns },
          },
          config: () => node.config,
          relation: node.relation,
        }),
      isIncremental: () => Boolean(options.isIncremental),
      extra: options.extra,
    };
    const { context, scope, statements } = createNodeContext(this.cs.settings, bindings);

    let sql: string;
    try {
      sql = scope.run(() => {
        if (options.source) {
          return this.cs.engine.render(
            this.cs.engine.compile(options.source.code, options.source.label),
            context,
          );
        }
        if (node.testMetadata && node.attachedNode !== undefined) {
          const attached = this.attachedRelation(node, ref);
          return this.renderGenericTest(node, context, scope, attached, bindings.config.get);
        }
        return this.cs.engine.render(this.cs.engine.compile(node.rawCode, shownPath), context);
      });
    } catch (err) {
      throw renderError(err, node.location, this.cs.macros);
    }
    return { sql, ctes, statements: statements.executed, config };
  }

  /** `(select * from rel where event_time >= start and event_time < end)` inside a microbatch. */
  private batchFilter(relation: Relation, target: ManifestNode, batch: CompileNodeOptions['batch']): unknown {
    const eventTime = target.config.event_time;
    if (!batch || typeof eventTime !== 'string' || relation.is_cte) return relation;
    const start = batch.start.toISOString();
    const end = batch.end.toISOString();
    const column = quoteIdent(eventTime);
    return `(select * from ${relation.render()} where ${column} >= '${start}' and ${column} < '${end}') as ${quoteIdent(`${target.name}_batch`)}`;
  }

  private ephemeral(node: ManifestNode): { sql: string; ctes: Cte[] } {
    let cached = this.ephemeralCache.get(node.uniqueId);
    if (!cached) {
      const { sql, ctes } = this.render(node, {});
      cached = { sql, ctes };
      this.ephemeralCache.set(node.uniqueId, cached);
    }
    return cached;
  }

  private renderGenericTest(
    node: ManifestNode,
    context: object,
    scope: RenderScope,
    attached: unknown,
    configGet: (key: string) => unknown,
  ): string {
    const meta = node.testMetadata!;
    const macroName = `test_${meta.name}`;
    const macro = meta.namespace
      ? (scope.namespace(meta.namespace) as Record<string, unknown>)[macroName]
      : scope.lookup(node.package, macroName);
    if (typeof macro !== 'function') {
      const close = closestName(
        macroName,
        [...this.cs.macros.entries()].filter((e) => e.info.kind === 'test').map((e) => e.info.name),
      );
      throw new MartqlError(
        'UNKNOWN_MACRO',
        `generic test '${meta.namespace ? `${meta.namespace}.` : ''}${meta.name}' is not defined`,
        {
          location: node.location,
          hint: close
            ? `did you mean '${close.replace(/^test_/, '')}'?`
            : 'define it with {% test name(model, column_name) %} in macros/ or tests/generic/',
        },
      );
    }
    const { model: _model, ...raw } = meta.kwargs;
    const args = evaluateTestArguments(this.cs.engine, context, raw);
    // The built-in get_where_subquery returns the relation as it is when there is no `where`
    // config: skip the macro call then (one per test), unless a package overrides it.
    const unfiltered =
      !isTruthy(configGet('where')) &&
      !('get_where_subquery' in scope.base) &&
      this.cs.macros.isBuiltinUnchanged(node.package, 'get_where_subquery', false);
    const whereSubquery = unfiltered ? undefined : scope.lookup(node.package, 'get_where_subquery');
    const model = typeof whereSubquery === 'function' ? callMacro(whereSubquery, [attached]) : attached;
    return String(callMacro(macro, [], { ...args, model }));
  }

  /**
   * A built-in generic test's SQL without a render (builtin-test-sql.ts), or undefined to render it:
   * when a package overrides the test macro, its dispatch or `get_where_subquery`, when the test has
   * a `where` config, or when its arguments need more than literals and plain `ref`/`source` calls.
   */
  private builtinTest(
    node: ManifestNode,
    ref: NodeBindings['ref'],
    source: NodeBindings['source'],
  ): string | undefined {
    const meta = node.testMetadata!;
    if (meta.namespace !== undefined || !isBuiltinTestName(meta.name)) return undefined;
    const { model: _model, ...raw } = meta.kwargs;
    if (!fitsBuiltinTest(meta.name, raw) || needsContext(raw) || isTruthy(node.config.where))
      return undefined;
    if (!builtinTestUnchanged(this.cs.settings, node.package, meta.name)) return undefined;
    // The same calls, in the same order, as the render: the tested relation first, then the
    // arguments (a ref to an ephemeral model inlines its CTE). The SQL only needs a relation's
    // text, the same for every test of a model: rendered once per model.
    const refText = (call: RefCall): unknown => {
      const target = this.resolveRefCall(node, call);
      if (target.config.materialized === 'ephemeral') return ref(call);
      let text = this.relationTexts.get(target.uniqueId);
      if (text === undefined) {
        text = this.relationOf(target).render();
        this.relationTexts.set(target.uniqueId, text);
      }
      return text;
    };
    const attached = this.attachedRelation(node, refText);
    const plainCalls = { ref: (...a: unknown[]) => refText(parseRefArgs(a)), source };
    const args = evaluateTestArguments(this.cs.engine, plainCalls, raw);
    return builtinTestSql(meta.name, attached, args);
  }

  /** The tested relation, through `ref` so that a test on an ephemeral model inlines its CTE. */
  private attachedRelation(node: ManifestNode, ref: NodeBindings['ref']): unknown {
    const id = node.attachedNode!;
    const source = this.manifest.sources.get(id);
    if (source) return this.sourceRelationOf(source.schema, source.identifier, source.database);
    const target = this.node(id);
    return ref({ name: target.name, package: target.package });
  }

  /**
   * What freshness compares to tell whether a node's code changed: the hash of the SQL a full build
   * runs (not an incremental variant), or of the file for seeds and TypeScript models.
   */
  sqlHash(uniqueId: string): string {
    const node = this.node(uniqueId);
    if (node.resourceType === 'seed' || node.language === 'typescript') return node.checksum;
    return createHash('sha256').update(this.compile(uniqueId).sql).digest('hex');
  }

  /** The relation a TypeScript model's `ctx.ref()` names (ephemeral models cannot be read this way). */
  refRelation(from: ManifestNode, call: RefCall): Relation {
    const target = this.resolveRefCall(from, call);
    if (target.config.materialized === 'ephemeral') {
      throw new MartqlError(
        'PROJECT_CONFIG',
        `${from.location.file} reads the ephemeral model '${target.name}', which has no relation`,
      );
    }
    return this.relationOf(target);
  }

  /** The relation a TypeScript model's `ctx.source()` names. */
  sourceRelationFor(from: ManifestNode, sourceName: string, tableName: string): Relation {
    return this.sourceRelation(from, sourceName, tableName);
  }

  private resolveRefCall(from: ManifestNode, call: RefCall): ManifestNode {
    const resolution = resolveRef(this.refIndex, call, from.package);
    if (resolution.kind === 'found') return this.node(resolution.target.uniqueId);
    // The manifest was built from the same calls, so only a ref made at execute time alone (inside
    // `{% if execute %}`) can fail here.
    throw new MartqlError(
      'UNKNOWN_REF',
      `${displayPath(from, this.cs.project.name)} refers to '${call.name}', which ${resolution.kind === 'disabled' ? 'is disabled' : 'does not exist'}`,
      {
        location: from.location,
      },
    );
  }

  private sourceRelation(from: ManifestNode, sourceName: string, tableName: string): Relation {
    for (const source of this.manifest.sources.values()) {
      if (source.sourceName === sourceName && source.name === tableName) {
        return this.sourceRelationOf(source.schema, source.identifier, source.database);
      }
    }
    throw new MartqlError('UNKNOWN_SOURCE', `source('${sourceName}', '${tableName}') is not defined`, {
      location: from.location,
    });
  }

  private sourceRelationOf(schema: string, identifier: string, database?: string): Relation {
    return new Relation({ database, schema, identifier, type: 'table' });
  }
}
