/**
 * The `context` compiled templates look names up in. Unlike nunjucks' Context, which copies its
 * ctx, this one reads and writes the very object MartQL passes (often a Proxy that creates macros
 * lazily), with `name in ctx` / `ctx[name]` so the proxy's traps fire.
 *
 * When a macro file is instantiated, its top-level definitions go to `locals` instead of the
 * caller's object; names resolve in the context first, then in those file-level locals, then in
 * the engine's globals (range, dict, namespace, ...).
 */
export class RenderContext {
  constructor(
    readonly ctx: Record<string, unknown>,
    private readonly globals: Record<string, unknown>,
    readonly locals: Record<string, unknown> | null,
  ) {}

  lookup(name: string): unknown {
    const ctx = this.ctx;
    if (name in ctx) return ctx[name];
    const locals = this.locals;
    if (locals !== null && name in locals) return locals[name];
    return this.globals[name];
  }

  setVariable(name: string, value: unknown): void {
    if (this.locals !== null) this.locals[name] = value;
    else this.ctx[name] = value;
  }
}
