/**
 * The parse phase for one SQL node: render it with `execute = false` to capture its `ref`, `source`
 * and `config` calls, as dbt does, without touching the warehouse. The result is a `ParsedNode`
 * whose config is final and whose relation (schema, alias) is decided.
 */
import type { ParsedNode, RefCall, SourceCall } from '../graph/types';
import { createNodeContext, type NodeBindings } from '../jinja/context/node-context';
import { Relation } from '../jinja/context/relation';
import type { RenderScope } from '../jinja/context/render-scope';
import { mergeConfigs, normalizeConfig } from '../project/merge-configs';
import type { NodeConfig, SeedFile, SqlNodeFile } from '../project/types';
import type { CompileSession } from './compile-session';
import { decideRelation } from './node-relation';
import { modelDict } from './model-dict';
import { renderError } from './render-error';

/** The path shown in messages and used for `target/compiled`: relative to the package root. */
export function displayPath(file: { package: string; path: string }, rootPackage: string): string {
  return file.package === rootPackage ? file.path : `${file.package}/${file.path}`;
}

/** A node as its file describes it, before rendering: no refs, sources or macros yet. */
export function nodeFromFile(
  cs: CompileSession,
  file: SqlNodeFile | SeedFile,
  resourceType: ParsedNode['resourceType'],
  rawCode: string,
): ParsedNode {
  return {
    uniqueId: `${resourceType}.${file.package}.${file.name}`,
    resourceType,
    package: file.package,
    name: file.name,
    path: file.path,
    absPath: file.absPath,
    fqn: file.fqn,
    rawCode,
    checksum: file.checksum,
    config: file.config,
    description: file.properties?.description ?? '',
    columns: file.properties?.columns ?? [],
    refs: [],
    sources: [],
    macros: [],
    location: { file: displayPath(file, cs.project.name) },
  };
}

export function parseSqlNode(
  cs: CompileSession,
  file: SqlNodeFile,
  resourceType: ParsedNode['resourceType'],
): ParsedNode {
  const shownPath = displayPath(file, cs.project.name);
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  let config: NodeConfig = { ...file.config };
  const uniqueId = `${resourceType}.${file.package}.${file.name}`;
  const target = cs.target;

  const bindings: NodeBindings = {
    package: file.package,
    path: shownPath,
    execute: false,
    ref: (call) => {
      refs.push(call);
      return new Relation({ schema: target.schema, identifier: call.name, type: 'table' });
    },
    source: (sourceName, tableName) => {
      sources.push({ sourceName, tableName });
      return new Relation({ schema: sourceName, identifier: tableName, type: 'table' });
    },
    config: {
      set: (values) => {
        config = mergeConfigs(config, normalizeConfig(values));
      },
      get: (key) => config[key],
    },
    this: new Relation({ schema: target.schema, identifier: file.name, type: 'table' }),
    model: () => modelDict({ uniqueId, resourceType, file, config: () => config }),
    isIncremental: () => false,
  };
  const { context, scope } = createNodeContext(cs.settings, bindings);

  const template = cs.engine.compile(file.contents, shownPath);
  renderForParse(cs, template, context, shownPath, scope);

  const node: ParsedNode = {
    ...nodeFromFile(cs, file, resourceType, file.contents),
    config,
    refs: dedupeRefs(refs),
    sources: dedupeSources(sources),
    macros: [...scope.usedMacros].sort(),
  };
  node.relation = decideRelation(cs, node);
  return node;
}

function renderForParse(
  cs: CompileSession,
  template: ReturnType<CompileSession['engine']['compile']>,
  context: object,
  path: string,
  scope: RenderScope,
): void {
  try {
    scope.run(() => cs.engine.render(template, context));
  } catch (err) {
    throw renderError(err, { file: path }, cs.macros);
  }
}

function dedupeRefs(refs: RefCall[]): RefCall[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.package ?? ''}.${r.name}.${r.version ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeSources(sources: SourceCall[]): SourceCall[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.sourceName}.${s.tableName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
