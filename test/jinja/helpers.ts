/** A shared engine and a one-line render helper for the Jinja engine's focused tests. */
import { createJinjaEngine, jinjaReturn } from '../../src/jinja/engine';

export const engine = createJinjaEngine();

export function render(tpl: string, ctx: Record<string, unknown> = {}, path = 'models/t.sql'): string {
  return engine.render(engine.compile(tpl, path), { return: jinjaReturn, ...ctx });
}
