/**
 * The `martql` command line. Each command lives in `commands/`; this file only declares options
 * and turns any error into one readable block with exit code 1.
 */
import { Command } from 'commander';
import { reportError } from './report-error';

const program = new Command();
program.name('martql').description('A dbt-compatible engine that serves its models as a live GraphQL API');

/** `-s a b` and `-s a -s b` both give ['a', 'b']. */
const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(/\s+/).filter(Boolean),
];

function withCommon(command: Command): Command {
  return command
    .option('--project-dir <dir>', 'the project directory', process.cwd())
    .option('-s, --select <selector>', 'nodes to include (dbt selector syntax)', collect)
    .option('--exclude <selector>', 'nodes to leave out', collect)
    .option('--vars <yaml>', 'variables as YAML or JSON, overriding dbt_project.yml');
}

/**
 * A command's function, from its module loaded when the command runs. Each command pulls in what
 * it needs (the GraphQL server, the warehouse drivers, the data generator); loading every command
 * up front cost `martql compile` ~0.6 s of CPU before it began, against ~0.18 s for its own modules.
 * `require` rather than `import()`: the checkout runs these sources through tsx's CommonJS hook,
 * which a dynamic `import()` would bypass.
 */
function lazy<M>(file: string) {
  return <A extends unknown[]>(pick: (module: M) => (...args: A) => Promise<void>) =>
    (...args: A): Promise<void> =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      pick(require(file) as M)(...args);
}

type CompileModule = typeof import('./commands/compile');
type ListModule = typeof import('./commands/list');
type RunModule = typeof import('./commands/run');
type SnapshotModule = typeof import('./commands/snapshot');
type DepsModule = typeof import('./commands/deps');
type GenerateModule = typeof import('./commands/generate');
type ServeModule = typeof import('./commands/serve');
type StartModule = typeof import('./commands/start');
type DocsModule = typeof import('./commands/docs');
type SchemaModule = typeof import('./commands/schema');
type QueryModule = typeof import('./commands/query');

const compileCommand = lazy<CompileModule>('./commands/compile')((m) => m.compileCommand);
const listCommand = lazy<ListModule>('./commands/list')((m) => m.listCommand);
const runCommand = (name: Parameters<RunModule['runCommand']>[0]) =>
  lazy<RunModule>('./commands/run')((m) => m.runCommand(name));
const snapshotCommand = lazy<SnapshotModule>('./commands/snapshot')((m) => m.snapshotCommand);
const depsCommand = lazy<DepsModule>('./commands/deps')((m) => m.depsCommand);
const generateCommand = lazy<GenerateModule>('./commands/generate')((m) => m.generateCommand);
const simulateCommand = lazy<GenerateModule>('./commands/generate')((m) => m.simulateCommand);
const serveCommand = lazy<ServeModule>('./commands/serve')((m) => m.serveCommand);
const startCommand = lazy<StartModule>('./commands/start')((m) => m.startCommand);
const docsGenerateCommand = lazy<DocsModule>('./commands/docs')((m) => m.docsGenerateCommand);
const schemaCommand = lazy<SchemaModule>('./commands/schema')((m) => m.schemaCommand);
const queryCommand = lazy<QueryModule>('./commands/query')((m) => m.queryCommand);
const showCommand = lazy<QueryModule>('./commands/query')((m) => m.showCommand);

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

const runDescriptions = {
  run: 'build the selected models',
  seed: 'load the selected CSV seeds',
  test: 'run the selected data tests',
  build: 'seeds, snapshots, models and tests in DAG order; a failure skips what depends on it',
} as const;
for (const [name, description] of Object.entries(runDescriptions)) {
  const command = withCommon(program.command(name).description(description))
    .option('--full-refresh', 'rebuild incremental models and reload seeds from scratch')
    .option('--threads <n>', 'nodes to run at once (Postgres; PGlite runs one at a time)')
    .option('-x, --fail-fast', 'stop at the first failure');
  command.action(run(runCommand(name as keyof typeof runDescriptions)));
}

withCommon(
  program.command('snapshot').description('record new versions of the selected snapshots (SCD type 2)'),
)
  .option('--threads <n>', 'nodes to run at once (Postgres; PGlite runs one at a time)')
  .option('-x, --fail-fast', 'stop at the first failure')
  .action(run(snapshotCommand));

program
  .command('deps')
  .description(
    'resolve packages.yml (local, npm and installed packages), check versions, write target/packages.json',
  )
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .action(run(depsCommand));

program
  .command('generate')
  .description("write InnovateCorp's raw marketing data (deterministic for a seed) into schema raw")
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--customers <n>', 'customers to generate', '10000')
  .option('--days <n>', 'days of activity', '365')
  .option('--seed <n>', 'random seed', '42')
  .option('--start-date <date>', 'first day of activity (YYYY-MM-DD)')
  .action(run(generateCommand));

program
  .command('simulate')
  .description('append the next days of activity: new events, late touchpoints, updated orders')
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--days <n>', 'days to simulate', '1')
  .action(run(simulateCommand));

/** The server's flags, shared by `serve` and `start`. */
function withServerFlags(command: Command): Command {
  return command
    .option('--project-dir <dir>', 'the project directory', process.cwd())
    .option('--port <n>', 'port to listen on', '4000')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--vars <yaml>', 'variables as YAML or JSON')
    .option('--max-depth <n>', 'deepest field nesting a query may have (default 16)')
    .option('--max-cost <n>', 'largest query cost: fields times list limits (default 100000)')
    .option('--request-timeout-ms <ms>', 'execution time limit of a request (default 30000)');
}

withServerFlags(
  program
    .command('serve')
    .description(
      'serve the exposed models as a GraphQL API (/graphql, playground at /, /metrics, /healthz), refreshing stale models on read',
    ),
).action(run(serveCommand));

withServerFlags(
  program
    .command('start')
    .description(
      'the demo in one command: generate raw data if the database has none, build if never built, then serve',
    ),
)
  .option('--customers <n>', 'customers to generate when there is no raw data', '3000')
  .option('--days <n>', 'days of activity to generate when there is no raw data', '180')
  .action(run(startCommand));

const docs = program.command('docs').description("the project's documentation site");
docs
  .command('generate')
  .description(
    'compile every node, read column types from the warehouse, and write target/manifest.json, target/catalog.json and the site in target/docs (served at /docs)',
  )
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--vars <yaml>', 'variables as YAML or JSON, overriding dbt_project.yml')
  .action(run(docsGenerateCommand));

program
  .command('schema')
  .description('write the GraphQL SDL to schema/schema.graphql (no database needed)')
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--check', 'write nothing; exit 1 when schema/schema.graphql is out of date')
  .option('--vars <yaml>', 'variables as YAML or JSON')
  .action(run(schemaCommand));

program
  .command('query <sql>')
  .description('run a SQL statement and print the result')
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--format <format>', 'table or json', 'table')
  .action((sql: string, options) => run(async (o: typeof options) => queryCommand(sql, o))(options));

program
  .command('show <model>')
  .description("print a model's rows")
  .option('--project-dir <dir>', 'the project directory', process.cwd())
  .option('--limit <n>', 'rows to print', '10')
  .option('--format <format>', 'table or json', 'table')
  .option('--vars <yaml>', 'variables as YAML or JSON')
  .action((model: string, options) => run(async (o: typeof options) => showCommand(model, o))(options));

program.parseAsync(process.argv).catch((err) => reportError(err, process.cwd()));
