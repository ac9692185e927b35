/**
 * Snapshots: dbt's type-2 slowly changing dimensions. A snapshot records, run after run, every
 * version of the rows its query returns, with the period each version was current.
 *
 * `config.ts` reads a snapshot's config into a checked spec, `sql.ts` writes the statements, and
 * `run-snapshot.ts` runs them in the caller's transaction. The runner's executor
 * (src/run/execute-snapshot.ts) compiles the query and opens the transaction.
 */
export {
  snapshotSpec,
  type HardDeletes,
  type MetaColumns,
  type SnapshotSpec,
  type SnapshotStrategy,
} from './config';
export { runSnapshot, type SnapshotOutcome, type SnapshotRequest } from './run-snapshot';
