/**
 * `martql snapshot`: record new versions of the selected snapshots, each in its own transaction.
 * It is `martql run` restricted to snapshot nodes, so it shares that command's warehouse setup,
 * progress lines and exit code.
 */
import { runCommand } from './run';

export const snapshotCommand = runCommand('snapshot');
