/**
 * Runs the shared Jinja conformance suite (../shared/jinja-conformance: 138 constructs taken from
 * real dbt code, with the output Jinja2/dbt gives) through MartQL's engine. Every case must give
 * the oracle's output, or — only for the constructs listed in LOUD_FAILURES — throw a MartqlError
 * naming the construct. A silent difference fails the suite.
 */
import * as path from 'path';
import { MartqlError } from '../../src/errors';
import { createJinjaEngine, jinjaReturn, splitArgs } from '../../src/jinja/engine';

const dir = path.resolve(__dirname, '../../../shared/jinja-conformance');
/* eslint-disable @typescript-eslint/no-require-imports */
const cases: ConformanceCase[] = require(path.join(dir, 'cases.js'));
const makeHelpers: (kwOf: (rest: unknown[]) => Record<string, unknown>) => Record<string, unknown> = require(
  path.join(dir, 'helpers.js'),
);
const oracle: Record<string, { ok: boolean; out?: string; err?: string }> = require(
  path.join(dir, 'oracle.json'),
);
/* eslint-enable @typescript-eslint/no-require-imports */

interface ConformanceCase {
  group: string;
  id: string;
  construct: string;
  tpl: string;
  ctx: Record<string, unknown>;
  expect?: string;
  expectError?: boolean;
}

/**
 * Cases allowed to fail loudly, each with the text the error must contain:
 * - for_recursive: `{% for ... recursive %}` is not implemented (0 uses in dbt's global project
 *   and dbt_utils); it raises JINJA_UNSUPPORTED naming the construct.
 */
const LOUD_FAILURES: Record<string, string> = {
  for_recursive: 'recursive',
};

type Outcome = { kind: 'matched' } | { kind: 'loud'; message: string } | { kind: 'silent'; detail: string };

const engine = createJinjaEngine();

function buildContext(c: ConformanceCase): Record<string, unknown> {
  const helpers = makeHelpers((rest) => splitArgs(rest).kwargs);
  helpers.$return = jinjaReturn; // the helpers' MacroReturn stand-in maps to the engine's return()
  const ctx: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.ctx))
    ctx[k] = typeof v === 'string' && v.startsWith('$') ? helpers[v] : v;
  return ctx;
}

function run(c: ConformanceCase): Outcome {
  const o = oracle[c.id];
  const expected = c.expect ?? (o.ok ? o.out : undefined);
  let out: string;
  try {
    out = engine.render(engine.compile(c.tpl, `conformance/${c.id}.sql`), buildContext(c));
  } catch (e) {
    if (!(e instanceof MartqlError))
      return { kind: 'silent', detail: `non-MartqlError thrown: ${String(e)}` };
    if (expected === undefined) return { kind: 'matched' }; // Jinja raises here too
    return { kind: 'loud', message: `${e.code}: ${e.message}` };
  }
  if (expected === undefined)
    return { kind: 'silent', detail: `rendered ${JSON.stringify(out)}, Jinja raises ${o.err}` };
  return out === expected
    ? { kind: 'matched' }
    : { kind: 'silent', detail: `got ${JSON.stringify(out)}, want ${JSON.stringify(expected)}` };
}

describe('Jinja conformance suite', () => {
  const results = cases.map((c) => ({ c, r: run(c) }));

  it('has the 138 shared cases', () => {
    expect(cases).toHaveLength(138);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { r } = results.find((x) => x.c === c)!;
    if (c.id in LOUD_FAILURES) {
      expect(r.kind).toBe('loud');
      if (r.kind === 'loud') expect(r.message).toContain(LOUD_FAILURES[c.id]);
    } else {
      expect(r).toEqual({ kind: 'matched' });
    }
  });

  it('reports the totals: no silent differences', () => {
    const count = (k: Outcome['kind']) => results.filter((x) => x.r.kind === k).length;
    const totals = { matched: count('matched'), loud: count('loud'), silent: count('silent') };
    console.log(
      `jinja conformance: ${totals.matched} matched, ${totals.loud} loud failures, ${totals.silent} silent diffs`,
    );
    expect(totals.silent).toBe(0);
    expect(totals.loud).toBe(Object.keys(LOUD_FAILURES).length);
  });
});
