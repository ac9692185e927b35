/**
 * The state store: MartQL's own tables in the warehouse (run history, model state, source versions,
 * test results), behind one typed object. Opening it migrates the state schema; every method is one
 * statement, or one transaction where writes belong together.
 *
 * All state lives in the warehouse rather than in a process, so any number of `martql serve`
 * replicas and CLI runs can share it.
 *
 * @example
 *   const store = await openStateStore(warehouse);
 *   const invocationId = await store.startInvocation({ command: 'run', trigger: 'cli' });
 *   await store.recordRun({ invocationId, uniqueId: 'model.shop.orders', ... });
 *   await store.finishInvocation({ invocationId, status: 'success' });
 */
import { quoteIdent, type Session, type TableName, type Warehouse } from '../warehouse';
import { insertInvocation, selectInvocation, updateInvocationFinished } from './invocations';
import { migrate, type MigrateResult } from './migrate';
import type { Migration } from './migrations';
import { selectModelState, upsertModelState } from './model-state';
import { selectModelPerformance } from './performance';
import { insertRun, pruneRunHistory, selectRunHistory } from './run-history';
import {
  bumpSourceVersion,
  installChangeTrigger,
  removeChangeTrigger,
  selectSourceVersions,
} from './source-versions';
import { insertTestResult, selectTestSummaries } from './test-results';
import type {
  Invocation,
  InvocationFinish,
  InvocationStart,
  ModelPerformance,
  ModelState,
  ModelStateUpdate,
  PerformanceQuery,
  RunHistoryQuery,
  RunHistoryRow,
  RunRecord,
  SourceVersion,
  TestResultRecord,
  TestSummary,
  Timestamp,
} from './types';

export const DEFAULT_STATE_SCHEMA = 'martql';

export interface StateStoreOptions {
  /** The schema holding MartQL's tables; `martql` by default. */
  schema?: string;
  /** Recorded with invocations and migrations; MartQL's package version by default. */
  martqlVersion?: string | null;
  /** @internal The migrations to apply; tests use this to simulate other versions. */
  migrations?: readonly Migration[];
}

/** A node's finish: its history row, and the model state or test result that go with it. */
export interface NodeResult {
  run: RunRecord;
  modelState?: ModelStateUpdate;
  testResult?: TestResultRecord;
}

export class StateStore {
  /** The quoted schema name, ready to prefix table names. */
  private readonly s: string;

  /** @internal Use `openStateStore`. */
  constructor(
    private readonly warehouse: Warehouse,
    /** Where statements run: the warehouse, or the transaction this store was bound to by `using`. */
    private readonly session: Session,
    readonly schema: string,
    readonly martqlVersion: string | null,
    /** What opening the store did to the schema. */
    readonly migration: MigrateResult,
  ) {
    this.s = quoteIdent(schema);
  }

  /**
   * The same store writing through `tx`, so state commits or rolls back with other work in that
   * transaction (a materialization's table swap and its model_state row, for example).
   */
  using(tx: Session): StateStore {
    return new StateStore(this.warehouse, tx, this.schema, this.martqlVersion, this.migration);
  }

  // ---- invocations ----

  /** Records the invocation as running; returns its id (a new UUID unless given). */
  startInvocation(start: InvocationStart): Promise<string> {
    return insertInvocation(this.session, this.s, start, this.martqlVersion);
  }

  /** Marks it finished; counts come from its run_history rows unless given. */
  finishInvocation(finish: InvocationFinish): Promise<void> {
    return updateInvocationFinished(this.session, this.s, finish);
  }

  getInvocation(invocationId: string): Promise<Invocation | null> {
    return selectInvocation(this.session, this.s, invocationId);
  }

  // ---- per-node writes ----

  /** Appends one run_history row (one INSERT); returns its `seq`. Call it as each node finishes. */
  recordRun(run: RunRecord): Promise<number> {
    return insertRun(this.session, this.s, run);
  }

  /** Appends one test result (one INSERT); returns its `seq`. */
  recordTestResult(result: TestResultRecord): Promise<number> {
    return insertTestResult(this.session, this.s, result);
  }

  /** Records a build's outcome; an error or skip keeps the last successful build's facts. */
  upsertModelState(update: ModelStateUpdate): Promise<void> {
    return upsertModelState(this.session, this.s, update);
  }

  /** The run row and its model state / test result together, in one transaction. */
  recordNodeResult(result: NodeResult): Promise<number> {
    return this.inTransaction(async (tx) => {
      const seq = await insertRun(tx, this.s, result.run);
      if (result.modelState) await upsertModelState(tx, this.s, result.modelState);
      if (result.testResult) await insertTestResult(tx, this.s, result.testResult);
      return seq;
    });
  }

  // ---- reads ----

  /** State by unique_id for the given nodes (all when omitted); a node never run is absent. */
  getModelState(ids?: readonly string[]): Promise<Map<string, ModelState>> {
    return selectModelState(this.session, this.s, ids);
  }

  /** Newest first; page with `beforeSeq`. */
  runHistory(query: RunHistoryQuery): Promise<RunHistoryRow[]> {
    return selectRunHistory(this.session, this.s, query);
  }

  modelPerformance(query: PerformanceQuery): Promise<ModelPerformance[]> {
    return selectModelPerformance(this.session, this.s, query);
  }

  /** How each node's attached tests stand (latest result per test). */
  testSummaries(attachedNodes: readonly string[]): Promise<Map<string, TestSummary>> {
    return selectTestSummaries(this.session, this.s, attachedNodes);
  }

  /** Deletes run history that started before `before` (retention); the only deletion allowed. */
  pruneRunHistory(before: Timestamp): Promise<number> {
    return this.inTransaction((tx) =>
      pruneRunHistory(tx, this.s, before instanceof Date ? before.toISOString() : before),
    );
  }

  // ---- source versions ----

  /** Puts a statement-level trigger on the table that bumps its version on every change. */
  installChangeTrigger(schema: string, table: string): Promise<void> {
    return this.inTransaction((tx) => installChangeTrigger(tx, this.schema, { schema, name: table }));
  }

  removeChangeTrigger(schema: string, table: string): Promise<void> {
    return removeChangeTrigger(this.session, this.schema, { schema, name: table });
  }

  /** Bumps a table's version by hand (where no trigger is allowed); returns the new version. */
  bumpSourceVersion(schema: string, table: string): Promise<number> {
    return bumpSourceVersion(this.session, this.s, { schema, name: table });
  }

  /** Versions of many tables in one query, in the order given. */
  sourceVersions(tables: readonly TableName[]): Promise<SourceVersion[]> {
    return selectSourceVersions(this.session, this.s, tables);
  }

  /** Runs `fn` in a transaction: the bound one, or a new one on the warehouse. */
  private inTransaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    return this.session === this.warehouse ? this.warehouse.transaction(fn) : fn(this.session);
  }
}

/** Opens the state store in `options.schema` (default `martql`), creating or migrating it first. */
export async function openStateStore(
  warehouse: Warehouse,
  options: StateStoreOptions = {},
): Promise<StateStore> {
  const schema = options.schema ?? DEFAULT_STATE_SCHEMA;
  const martqlVersion = options.martqlVersion !== undefined ? options.martqlVersion : packageVersion();
  const migration = await migrate(warehouse, schema, { migrations: options.migrations, martqlVersion });
  return new StateStore(warehouse, warehouse, schema, martqlVersion, migration);
}

function packageVersion(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return null;
  }
}
