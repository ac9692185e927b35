/**
 * `npm run bench`: every benchmark, one table each, MartQL against a baseline measured in the same
 * run. Each is also runnable alone (see its header). Builds dist/ first so the compiled code is
 * what gets measured.
 */
import { benchCompile } from './compile';
import { benchFilteredRead } from './filtered-read';
import { benchGraphqlRead } from './graphql-read';
import { measuring } from './martql';
import { benchRefresh } from './refresh';
import { benchSeed } from './seed';
import { benchStaleStorm } from './stale-storm';
import { printTable } from './table';

async function main(): Promise<void> {
  console.log(`Measuring ${measuring}.`);
  printTable('compile', await benchCompile(2000));
  // Against DATABASE_URL, default the local server: the baseline is `psql \copy` of the same file.
  printTable('seed (Postgres)', await benchSeed(1_000_000, 2));
  printTable('incremental refresh and embedded vs server', await benchRefresh(108_000, 365));
  printTable('GraphQL read overhead (Postgres)', await benchGraphqlRead(3000, 180));
  printTable('stale-read storm (Postgres)', await benchStaleStorm(3000, 180, 500));
  printTable(
    'filtered reads with and without declared indexes (Postgres)',
    await benchFilteredRead(3000, 180),
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
