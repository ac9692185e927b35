/**
 * The `martql` command line. Each command lives in `commands/`; this file only declares options
 * and turns any error into one readable block with exit code 1.
 */
import { Command } from 'commander';
import { compileCommand } from './commands/compile';
import { listCommand } from './commands/list';
import { reportError } from './report-error';

const program = new Command();
program.name('martql').description('A dbt-compatible engine that serves its models as a live GraphQL API');

/** `-s a b` and `-s a -s b` both give ['a', 'b']. */
const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(/\s+/).filter(Boolean)];

function withCommon(command: Command): Command {
  return command
    .option('--project-dir <dir>', 'the project directory', process.cwd())
    .option('-s, --select <selector>', 'nodes to include (dbt selector syntax)', collect)
    .option('--exclude <selector>', 'nodes to leave out', collect)
    .option('--vars <yaml>', 'variables as YAML or JSON, overriding dbt_project.yml');
}

function run<T>(action: (options: T) => Promise<void>) {
  return async (options: T & { projectDir: string }) => {
    try {
      await action(options);
    } catch (err) {
      reportError(err, options.projectDir);
    }
  };
}

withCommon(program.command('compile').description('render models and tests to target/compiled'))
  .option('--offline', 'compile without a database (run_query and introspection unavailable)')
  .action(run(compileCommand));

withCommon(program.command('ls').alias('list').description('list the selected nodes'))
  .option('--resource-type <type>', 'only this resource type', collect)
  .option('--output <kind>', 'id, name or path', 'id')
  .action(run(listCommand));

program.parseAsync(process.argv).catch((err) => reportError(err, process.cwd()));
