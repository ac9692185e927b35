/**
 * Reads one `dbt_project.yml` (the root project's or a package's) into a `DbtProjectConfig`.
 *
 * Paths get dbt's defaults, the config trees are kept raw (they are resolved per node later, once
 * the folders are known), and keys MartQL does not act on become notes rather than errors so that a
 * project written for dbt loads unchanged.
 */
import { MartqlError } from '../errors';
import { isMapping, parseYaml, type LocatedYaml } from './yaml-file';
import type { ConfigTreeKind, DbtProjectConfig } from './types';

/** Keys dbt knows that MartQL reads, or accepts silently because they do not change a build. */
const KNOWN_KEYS = new Set([
  'name',
  'version',
  'config-version',
  'profile',
  'model-paths',
  'macro-paths',
  'seed-paths',
  'test-paths',
  'analysis-paths',
  'snapshot-paths',
  'docs-paths',
  'asset-paths',
  'target-path',
  'log-path',
  'packages-install-path',
  'clean-targets',
  'vars',
  'on-run-start',
  'on-run-end',
  'dispatch',
  'quoting',
  'models',
  'seeds',
  'data_tests',
  'tests',
  'snapshots',
  'sources',
  'require-dbt-version',
  'query-comment',
  'flags',
]);

/** Keys that dbt reads but MartQL ignores on purpose, each worth telling the user once. */
const IGNORED_KEYS: Record<string, string> = {
  'require-dbt-version': 'require-dbt-version is ignored: MartQL is not dbt and checks no dbt version',
  profile: 'profile is ignored: the warehouse comes from DATABASE_URL (embedded PGlite by default)',
  'query-comment': 'query-comment is ignored',
};

export interface ParsedProjectFile {
  config: DbtProjectConfig;
  /** Installation folder for hub/git packages (`packages-install-path`, default `dbt_packages`). */
  packagesInstallPath: string;
  notes: string[];
  yaml: LocatedYaml;
}

/** Parses the text of a `dbt_project.yml`; `file` is how the file is named in errors and notes. */
export function parseDbtProjectFile(text: string, file: string): ParsedProjectFile {
  const yaml = parseYaml(text, file);
  const raw = yaml.value;
  const notes: string[] = [];
  if (!isMapping(raw)) {
    throw new MartqlError('PROJECT_CONFIG', 'dbt_project.yml must be a mapping of settings', {
      location: yaml.at(raw),
    });
  }
  const fail = (key: string, message: string): MartqlError =>
    new MartqlError('PROJECT_CONFIG', message, { location: yaml.atKey(raw, key) });

  const name = raw.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw fail(
      'name',
      name === undefined
        ? 'dbt_project.yml has no `name`'
        : `project name ${JSON.stringify(name)} must be letters, digits and underscores`,
    );
  }

  const configVersion = raw['config-version'];
  if (configVersion !== undefined && configVersion !== 2) {
    throw fail('config-version', `config-version ${String(configVersion)} is not supported; use 2`);
  }
  for (const legacy of ['source-paths', 'data-paths']) {
    if (legacy in raw) {
      throw fail(
        legacy,
        `${legacy} was renamed (use ${legacy === 'source-paths' ? 'model-paths' : 'seed-paths'})`,
      );
    }
  }

  const paths = (key: string, fallback: string[]): string[] => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((p) => typeof p === 'string')) throw fail(key, `${key} must be a list of folder paths`);
    return list.map((p: string) => p.replace(/\/+$/, ''));
  };
  const modelPaths = paths('model-paths', ['models']);
  const macroPaths = paths('macro-paths', ['macros']);
  const seedPaths = paths('seed-paths', ['seeds']);
  const testPaths = paths('test-paths', ['tests']);
  const analysisPaths = paths('analysis-paths', ['analyses']);
  const snapshotPaths = paths('snapshot-paths', ['snapshots']);
  // dbt (1.9+) looks for docs blocks in every resource path unless docs-paths is set.
  const everyPath = [
    ...new Set([
      ...modelPaths,
      ...seedPaths,
      ...analysisPaths,
      ...testPaths,
      ...macroPaths,
      ...snapshotPaths,
    ]),
  ];
  const docsPaths = paths('docs-paths', everyPath);

  const stringSetting = (key: string, fallback: string): string => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') throw fail(key, `${key} must be a folder path`);
    return value;
  };

  const mapping = (key: string): Record<string, unknown> => {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (!isMapping(value)) throw fail(key, `${key} must be a mapping`);
    return value;
  };

  const hooks = (key: string): string[] => {
    const value = raw[key];
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.filter((h) => h !== null && h !== undefined).map((h) => String(h));
  };

  const configTrees: Record<ConfigTreeKind, Record<string, unknown>> = {
    models: mapping('models'),
    seeds: mapping('seeds'),
    data_tests: mapping('data_tests'),
    snapshots: mapping('snapshots'),
    sources: mapping('sources'),
  };
  if (raw.tests !== undefined && raw.tests !== null) {
    // `tests:` is the pre-1.8 name; when both exist, `data_tests:` is applied after (and wins).
    configTrees.data_tests = deepMergeTrees(mapping('tests'), configTrees.data_tests);
    notes.push(`${file}: \`tests:\` is the legacy name of \`data_tests:\`; it was applied as data_tests`);
  }

  const quoting: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(mapping('quoting'))) {
    if (typeof v !== 'boolean') throw fail('quoting', `quoting.${k} must be true or false`);
    quoting[k] = v;
  }

  for (const key of Object.keys(raw)) {
    if (IGNORED_KEYS[key]) notes.push(`${file}: ${IGNORED_KEYS[key]}`);
    else if (!KNOWN_KEYS.has(key)) notes.push(`${file}: unknown key \`${key}\` ignored`);
  }

  const config: DbtProjectConfig = {
    name,
    version: raw.version === undefined || raw.version === null ? undefined : String(raw.version),
    configVersion: typeof configVersion === 'number' ? configVersion : undefined,
    profile: typeof raw.profile === 'string' ? raw.profile : undefined,
    modelPaths,
    macroPaths,
    seedPaths,
    testPaths,
    analysisPaths,
    snapshotPaths,
    docsPaths,
    targetPath: stringSetting('target-path', 'target'),
    vars: mapping('vars'),
    configTrees,
    onRunStart: hooks('on-run-start'),
    onRunEnd: hooks('on-run-end'),
    dispatch: parseDispatch(raw.dispatch, yaml, raw),
    quoting,
  };
  return {
    config,
    packagesInstallPath: stringSetting('packages-install-path', 'dbt_packages'),
    notes,
    yaml,
  };
}

function parseDispatch(
  value: unknown,
  yaml: LocatedYaml,
  raw: Record<string, unknown>,
): DbtProjectConfig['dispatch'] {
  if (value === undefined || value === null) return [];
  const bad = (at: unknown): MartqlError =>
    new MartqlError(
      'PROJECT_CONFIG',
      'dispatch must be a list of {macro_namespace: <package>, search_order: [<package>, ...]}',
      { location: at === raw ? yaml.atKey(raw, 'dispatch') : yaml.at(at) },
    );
  if (!Array.isArray(value)) throw bad(raw);
  return value.map((entry) => {
    if (!isMapping(entry) || typeof entry.macro_namespace !== 'string') throw bad(entry);
    const order = entry.search_order;
    if (!Array.isArray(order) || !order.every((p) => typeof p === 'string')) throw bad(entry);
    return { macroNamespace: entry.macro_namespace, searchOrder: order as string[] };
  });
}

/** Deep merge of two raw config trees (used only to fold legacy `tests:` into `data_tests:`). */
function deepMergeTrees(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isMapping(v) && isMapping(out[k]) ? deepMergeTrees(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
