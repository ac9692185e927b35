/**
 * Evaluating the arguments of a YAML-declared generic test.
 *
 * dbt users write `relationships: {to: ref('customers'), field: id}`: the `to` value is a string that
 * must be evaluated as Jinja to become a relation (and to make the test depend on `customers`).
 * MartQL evaluates a string argument when it is a `ref(...)`/`source(...)` call or contains `{{ }}`;
 * anything else is passed through as written. `column_name` is never evaluated.
 */
import { callMacro, type CompiledTemplate, type JinjaEngine } from '../jinja/engine';

/** The calls dbt evaluates in a test argument written without braces (its `looks_like_func`). */
const CALL_PATTERN = /^\s*(ref|source|var|env_var|doc)\s*\(/;
/** `ref('m')`, `ref('pkg', 'm')`, `source('s', 't')` with literal arguments: evaluated without Jinja. */
const PLAIN_CALL = /^\s*(ref|source)\s*\(\s*(['"])([^'"]*)\2\s*(?:,\s*(['"])([^'"]*)\4\s*)?\)\s*$/;
/** `{{ expr }}` and nothing else (not `{{ a }} = {{ b }}`, which is rendered as text). */
const SINGLE_EXPRESSION = /^\s*\{\{((?:(?!\}\}).)*)\}\}\s*$/s;

const templates = new WeakMap<JinjaEngine, Map<string, CompiledTemplate>>();

function expressionTemplate(engine: JinjaEngine, expression: string): CompiledTemplate {
  let cache = templates.get(engine);
  if (!cache) {
    cache = new Map();
    templates.set(engine, cache);
  }
  let template = cache.get(expression);
  if (!template) {
    template = engine.compile(
      `{% macro __martql_expression() %}{{ return(${expression}) }}{% endmacro %}`,
      `<test argument: ${expression}>`,
    );
    cache.set(expression, template);
  }
  return template;
}

/** Evaluates one Jinja expression in `context` and returns its value (not its rendering). */
export function evaluateExpression(engine: JinjaEngine, context: object, expression: string): unknown {
  const plain = PLAIN_CALL.exec(expression);
  if (plain) {
    const fn = (context as Record<string, unknown>)[plain[1]];
    const args = plain[5] === undefined ? [plain[3]] : [plain[3], plain[5]];
    return callMacro(fn, args);
  }
  const macros = engine.instantiateMacros(expressionTemplate(engine, expression), context);
  return callMacro(macros.__martql_expression, []);
}

/** True when some argument is Jinja beyond a plain `ref(...)`/`source(...)` call. */
export function needsContext(args: Record<string, unknown>): boolean {
  // Loops, not entries()/some() with closures: this runs for every test, at parse and compile.
  for (const key of Object.keys(args)) if (key !== 'column_name' && needsContextIn(args[key])) return true;
  return false;
}

function needsContextIn(value: unknown): boolean {
  if (isJinjaArgument(value)) return !PLAIN_CALL.test(value);
  if (Array.isArray(value)) return value.some(needsContextIn);
  if (value && typeof value === 'object') return Object.values(value).some(needsContextIn);
  return false;
}

/** True when a test argument is Jinja to evaluate rather than a literal. */
export function isJinjaArgument(value: unknown): value is string {
  return typeof value === 'string' && (CALL_PATTERN.test(value) || value.includes('{{'));
}

/** Evaluates the Jinja arguments of a test (deeply, for lists and dicts), leaving literals as they are. */
export function evaluateTestArguments(
  engine: JinjaEngine,
  context: object,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const evaluate = (value: unknown): unknown => {
    if (isJinjaArgument(value)) {
      const single = SINGLE_EXPRESSION.exec(value);
      if (single) return evaluateExpression(engine, context, single[1]);
      if (CALL_PATTERN.test(value)) return evaluateExpression(engine, context, value);
      return engine.render(engine.compile(value, `<test argument>`), context);
    }
    if (Array.isArray(value)) return value.map(evaluate);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
    }
    return value;
  };
  // The top level without entries()/fromEntries(): this runs for every test. Defining each key
  // (not assigning it) keeps a `__proto__` argument an own key, as fromEntries did.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(args)) {
    const value = key === 'column_name' ? args[key] : evaluate(args[key]);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
