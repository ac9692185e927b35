/** `npm run bench`: every benchmark, one table each. Each is also runnable alone (see its header). */
import { benchCompile } from './compile';
import { printTable } from './table';

async function main(): Promise<void> {
  printTable('compile', await benchCompile(2000));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
