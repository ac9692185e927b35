/**
 * The bind-parameter list of one statement. Every value reaches SQL through `bind`, which returns
 * the placeholder (`$3::date`); the SQL text therefore depends only on the request's shape, never
 * on its values.
 *
 * Each placeholder carries a cast: Postgres infers an untyped parameter's type from its context, and
 * in `$1 = any(...)`, `date_trunc(...)` or `at time zone $1` that context is ambiguous or wrong.
 */
import type { BoundValue } from './values';

export class Params {
  private readonly list: unknown[] = [];

  /** Adds `value` and returns its placeholder, `$n::cast` (or `$n` without a cast). */
  bind(value: BoundValue | (BoundValue | null)[], cast?: string): string {
    this.list.push(value);
    const placeholder = `$${this.list.length}`;
    return cast ? `${placeholder}::${cast}` : placeholder;
  }

  get values(): unknown[] {
    return this.list.slice();
  }
}
