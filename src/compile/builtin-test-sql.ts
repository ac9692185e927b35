/**
 * The SQL of the four built-in generic tests (`not_null`, `unique`, `accepted_values`,
 * `relationships`), written directly instead of rendered.
 *
 * Most tests in a project are these four, and rendering one is a chain of Jinja calls
 * (`test_unique` → `adapter.dispatch` → `default__test_unique`) in a render context of its own:
 * for the generated 2,000-model project, 6,000 tests took a fifth of a compile. The text here is
 * exactly what the macros in `include/dbt/macros/generic_tests.sql` render, each value passed
 * through Python's str() as `{{ value }}` does (test/compile/builtin-test-sql.test.ts renders the
 * macros for a range of values and compares). The caller uses it only when no package overrides
 * the test macro or its dispatch, and when the arguments are exactly the macro's parameters with
 * the types the text assumes; anything else is rendered as before.
 */
import { packageLayer } from '../jinja/context/context-layers';
import type { RenderSettings } from '../jinja/context/node-context';
import { isTruthy, pyStr } from '../jinja/engine';

/** A built-in test's parameters besides `model`, and which of them may be left out. */
interface BuiltinTest {
  params: string[];
  optional: string[];
  sql(model: unknown, args: Record<string, unknown>): string | undefined;
}

const BUILTIN_TESTS: Record<string, BuiltinTest> = {
  not_null: {
    params: ['column_name'],
    optional: [],
    sql: (model, { column_name: column }) => {
      const c = pyStr(column);
      return `\nselect ${c}\nfrom ${pyStr(model)}\nwhere ${c} is null\n`;
    },
  },
  unique: {
    params: ['column_name'],
    optional: [],
    sql: (model, { column_name: column }) => {
      const c = pyStr(column);
      return (
        `\nselect\n    ${c} as unique_field,\n    count(*) as n_records\nfrom ${pyStr(model)}\n` +
        `where ${c} is not null\ngroup by ${c}\nhaving count(*) > 1\n`
      );
    },
  },
  accepted_values: {
    params: ['column_name', 'values', 'quote'],
    optional: ['quote'],
    sql: (model, { column_name: column, values, quote = true }) => {
      // `{% for value in values %}` over anything but a list (a string's characters, a dict's
      // keys) is left to the render.
      if (!Array.isArray(values)) return undefined;
      const c = pyStr(column);
      const quoted = isTruthy(quote);
      const list = values.map((v) => (quoted ? `'${pyStr(v)}'` : pyStr(v))).join(', ');
      return (
        `\nwith all_values as (\n    select\n        ${c} as value_field,\n        count(*) as n_records\n` +
        `    from ${pyStr(model)}\n    group by ${c}\n)\nselect *\nfrom all_values\n` +
        `where value_field not in (${list})\n`
      );
    },
  },
  relationships: {
    params: ['column_name', 'to', 'field'],
    optional: [],
    sql: (model, { column_name: column, to, field }) => {
      const c = pyStr(column);
      return (
        `\nwith child as (\n    select ${c} as from_field\n    from ${pyStr(model)}\n    where ${c} is not null\n),\n` +
        `parent as (\n    select ${pyStr(field)} as to_field\n    from ${pyStr(to)}\n)\n` +
        `select from_field\nfrom child\nleft join parent on child.from_field = parent.to_field\n` +
        `where parent.to_field is null\n`
      );
    },
  },
};

/** The names of the built-in generic tests this module writes. */
export function isBuiltinTestName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILTIN_TESTS, name);
}

/**
 * Whether a test's arguments (without `model`) are exactly what the built-in macro takes: each
 * required parameter present, nothing it does not declare (a macro without `**kwargs` would
 * reject an extra keyword; the render reports that).
 */
export function fitsBuiltinTest(name: string, args: Record<string, unknown>): boolean {
  const test = BUILTIN_TESTS[name];
  let present = 0;
  for (const key in args) {
    if (!test.params.includes(key)) return false;
    present++;
  }
  const required = test.params.length - test.optional.length;
  const optionalPresent = test.optional.filter((k) => k in args).length;
  return present - optionalPresent === required;
}

/**
 * The SQL the built-in test `name` renders for `model` and the evaluated `args`, or undefined when
 * the values are of a kind only the render handles. Call only when `fitsBuiltinTest` holds.
 */
export function builtinTestSql(
  name: string,
  model: unknown,
  args: Record<string, unknown>,
): string | undefined {
  return BUILTIN_TESTS[name].sql(model, args);
}

/** builtinTestUnchanged answers per invocation: package -> test name -> answer. */
const unchangedAnswers = new WeakMap<RenderSettings, Map<string, Map<string, boolean>>>();

/**
 * True when a test `name` declared in package `pkg` renders the built-in macros: no package (and
 * no render value) overrides `test_<name>`, the `default__test_<name>` its dispatch lands on, or
 * `get_where_subquery`, and neither the root project nor `pkg` defines a `ref` or `source` macro
 * (a render would call it for the tested relation and the arguments). Remembered per invocation;
 * macros are all added before the first render.
 */
export function builtinTestUnchanged(settings: RenderSettings, pkg: string, name: string): boolean {
  let byPackage = unchangedAnswers.get(settings);
  if (!byPackage) {
    byPackage = new Map();
    unchangedAnswers.set(settings, byPackage);
  }
  let answers = byPackage.get(pkg);
  if (!answers) {
    answers = new Map();
    byPackage.set(pkg, answers);
  }
  let answer = answers.get(name);
  if (answer === undefined) {
    const macros = settings.macros;
    const macroName = `test_${name}`;
    const layer = packageLayer(settings, pkg);
    const defined = (macro: string) =>
      macros.get(macros.rootPackage, macro) !== undefined || macros.get(pkg, macro) !== undefined;
    answer =
      !defined('ref') &&
      !defined('source') &&
      !(macroName in layer) &&
      !('get_where_subquery' in layer) &&
      macros.isBuiltinUnchanged(pkg, macroName, true) &&
      macros.isBuiltinUnchanged(pkg, 'get_where_subquery', false);
    answers.set(name, answer);
  }
  return answer;
}
