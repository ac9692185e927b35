/**
 * `martql run | seed | test | build`: parse, select, then execute the selection in DAG order with
 * N threads, recording every node in the state schema as it finishes (so the history survives a
 * failed or killed run), and writing `target/run_results.json` and `target/manifest.json` at the end.
 */
import * as path from 'node:path';
import { parseProjectDir } from '../compile/compile-project';
import { NodeCompiler } from '../compile/node-compiler';
import { ancestors, select, topoSort, writeManifestJson } from '../graph';
import type { Manifest, ManifestNode, ResourceType } from '../graph/types';
import { openStateStore, type StateStore } from '../state';
import type { TargetInfo } from '../jinja/context/node-context';
import type { Warehouse } from '../warehouse';
import { executeModel } from './execute-model';
import { executeSeed } from './execute-seed';
import { executeSnapshot } from './execute-snapshot';
import { executeTest } from './execute-test';
import { executeTsModel } from './execute-ts-model';
import { readSnapshot, versionInputs } from '../freshness';
import { recordResult, type VersionTracker } from './record-result';
import { runProjectHooks } from './run-hooks';
import { schemaEnsurer, type RunContext } from './run-context';
import { writeRunResults } from './run-results-json';
import { schedule } from './scheduler';
import {
  blocksDescendants,
  countResults,
  type Command,
  type NodeResult,
  type RunEvent,
  type RunSummary,
  type Trigger,
} from './types';

export interface RunRequest {
  projectDir: string;
  command: Exclude<Command, 'compile'>;
  warehouse: Warehouse;
  select?: string[];
  exclude?: string[];
  vars?: Record<string, unknown> | string;
  fullRefresh?: boolean;
  threads?: number;
  failFast?: boolean;
  trigger?: Trigger;
  /** Schema of MartQL's own tables (default `martql`). */
  stateSchema?: string;
  onEvent?: (event: RunEvent) => void;
  noParseCache?: boolean;
  /** Where to build (default: from the environment, see compile/target.ts). */
  target?: TargetInfo;
}

const RESOURCE_TYPES: Record<RunRequest['command'], ResourceType[]> = {
  run: ['model'],
  seed: ['seed'],
  snapshot: ['snapshot'],
  test: ['test'],
  build: ['seed', 'model', 'snapshot', 'test'],
};

function describe(node: ManifestNode, relation: string): string {
  switch (node.resourceType) {
    case 'test':
      return `test ${node.name}`;
    case 'seed':
      return `seed file ${relation}`;
    case 'snapshot':
      return `snapshot ${relation}`;
    default:
      return `sql ${String(node.config.materialized)} ${node.resourceType} ${relation}`;
  }
}

export async function runProject(req: RunRequest): Promise<RunSummary> {
  const started = performance.now();
  const warehouse = req.warehouse;
  const emit = req.onEvent ?? (() => undefined);
  const { project, session, manifest } = await parseProjectDir(path.resolve(req.projectDir), {
    vars: req.vars,
    session: warehouse,
    fullRefresh: req.fullRefresh,
    which: req.command,
    noParseCache: req.noParseCache,
    target: req.target,
  });
  const compiler = new NodeCompiler(session, manifest);
  const types = new Set(RESOURCE_TYPES[req.command]);
  const chosen = select(manifest, { select: req.select, exclude: req.exclude });
  const ids = topoSort(manifest, chosen).filter((id) => {
    const node = manifest.nodes.get(id);
    return node !== undefined && types.has(node.resourceType);
  });

  const state: StateStore = await openStateStore(warehouse, { schema: req.stateSchema });
  const invocationId = session.settings.invocationId;
  const trigger = req.trigger ?? 'cli';
  await state.startInvocation({
    invocationId,
    command: req.command,
    args: { select: req.select ?? [], exclude: req.exclude ?? [], full_refresh: Boolean(req.fullRefresh) },
    trigger,
    target: session.target.name,
  });
  emit({
    type: 'invocation-start',
    invocationId,
    command: req.command,
    total: ids.length,
    description: describeCounts(ids.map((id) => manifest.nodes.get(id)!)),
  });

  // What every input's version is now; each build then records the versions it was built from.
  const versions: VersionTracker = {
    snapshot: await readSnapshot(state, warehouse, manifest, versionInputs(manifest, ids)),
  };
  const rc: RunContext = {
    warehouse,
    session,
    compiler,
    manifest,
    fullRefresh: Boolean(req.fullRefresh),
    invocationId,
    ensureSchema: schemaEnsurer(warehouse),
  };
  const results: NodeResult[] = [];
  // History rows are written as each node finishes, not at the end, so a killed run keeps them.
  const pendingWrites: Promise<void>[] = [];
  let hookFailure: unknown;
  let writeFailure: unknown;
  try {
    await runProjectHooks(rc, project.config.onRunStart, 'on-run-start', emit);
    // PGlite has one connection: running nodes "concurrently" would only interleave their statements.
    const threads = warehouse.kind === 'pglite' ? 1 : Math.max(1, req.threads ?? session.target.threads);
    let startedCount = 0;
    let finishedCount = 0;
    const parentsOf =
      req.command === 'build' ? buildParents(manifest, ids) : (id: string) => manifest.parents.get(id) ?? [];
    await schedule<NodeResult>({
      ids,
      parents: parentsOf,
      threads,
      failFast: req.failFast,
      blocksDescendants,
      run: async (id, thread) => {
        const node = manifest.nodes.get(id)!;
        startedCount += 1;
        emit({
          type: 'node-start',
          uniqueId: id,
          index: startedCount,
          total: ids.length,
          description: describe(node, compiler.relationOf(node).render()),
        });
        switch (node.resourceType) {
          case 'seed':
            return executeSeed(rc, node, thread);
          case 'test':
            return executeTest(rc, node, thread);
          case 'snapshot':
            return executeSnapshot(rc, node, thread);
          default:
            return node.language === 'typescript'
              ? executeTsModel(rc, node, thread)
              : executeModel(rc, node, thread);
        }
      },
      skipped: (id, cause) => skippedResult(manifest.nodes.get(id)!, cause),
      onResult: (_id, result) => {
        results.push(result);
        finishedCount += 1;
        emit({ type: 'node-finish', result, index: finishedCount, total: ids.length });
        // Caught here, rethrown after the run: an unhandled rejection would end the process mid-build.
        pendingWrites.push(
          recordResult(state, rc, trigger, result, versions).catch((err: unknown) => {
            writeFailure ??= err;
          }),
        );
      },
    });
    await Promise.all(pendingWrites);
    await runProjectHooks(rc, project.config.onRunEnd, 'on-run-end', emit);
  } catch (err) {
    hookFailure = err;
  }
  await Promise.allSettled(pendingWrites);

  const counts = countResults(results);
  const summary: RunSummary = {
    invocationId,
    command: req.command,
    results,
    counts,
    elapsedMs: performance.now() - started,
    success: counts.error === 0 && hookFailure === undefined,
  };
  await state.finishInvocation({
    invocationId,
    status: summary.success ? 'success' : 'error',
    counts: { pass: counts.pass, warn: counts.warn, error: counts.error, skip: counts.skip },
  });
  const targetDir = path.resolve(project.root, project.config.targetPath);
  await writeRunResults(summary, targetDir, project.root);
  await writeManifestJson(manifest, {
    projectName: project.name,
    targetDir,
    invocationId,
    generatedAt: new Date().toISOString(),
  });
  emit({ type: 'invocation-finish', summary });
  if (hookFailure !== undefined) throw hookFailure;
  if (writeFailure !== undefined) throw writeFailure;
  return summary;
}

/**
 * `build` runs a model's tests before anything downstream of it, so a failing test (severity error)
 * skips the descendants as a failing model would. dbt's rule decides which edges to add: node N
 * waits for test T when every node T depends on is upstream of N. (A relationships test on A that
 * points at B, where B refs A, must not make B wait for it: T depends on B itself.)
 */
function buildParents(manifest: Manifest, ids: string[]): (id: string) => readonly string[] {
  const selected = new Set(ids);
  const extra = new Map<string, string[]>();
  const upstream = new Map<string, Set<string>>();
  const ancestorsOf = (id: string): Set<string> => {
    let found = upstream.get(id);
    if (!found) {
      found = ancestors(manifest, [id]);
      found.delete(id);
      upstream.set(id, found);
    }
    return found;
  };
  for (const testId of ids) {
    if (manifest.nodes.get(testId)?.resourceType !== 'test') continue;
    const testParents = (manifest.parents.get(testId) ?? []).filter((p) => manifest.nodes.has(p));
    for (const parent of testParents) {
      for (const child of manifest.children.get(parent) ?? []) {
        if (!selected.has(child) || manifest.nodes.get(child)?.resourceType === 'test') continue;
        const above = ancestorsOf(child);
        if (testParents.every((p) => above.has(p))) extra.set(child, [...(extra.get(child) ?? []), testId]);
      }
    }
  }
  return (id) => [...(manifest.parents.get(id) ?? []), ...(extra.get(id) ?? [])];
}

function describeCounts(nodes: ManifestNode[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const key =
      node.resourceType === 'model' ? `${String(node.config.materialized)} model` : node.resourceType;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ');
}

function skippedResult(node: ManifestNode, cause: string): NodeResult {
  const now = new Date();
  return {
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    status: 'skipped',
    kind: 'skipped',
    materialization: String(node.config.materialized),
    rowsAffected: null,
    message: `skipped because ${cause} failed`,
    startedAt: now,
    completedAt: now,
    compileMs: 0,
    executeMs: 0,
    thread: 0,
    skippedBecause: cause,
  };
}
