/**
 * Process-wide caches of compiled template code, shared by every engine in the process (so the
 * next invocation of a long-lived process, or a second engine, skips lexing, parsing, code
 * generation and `new Function` for sources it has seen).
 *
 * - by source text: the generated code's factory, its hoisted constants, the template's macros and
 *   the filters/tests it names (an engine reuses an entry only when its registry has them all, so a
 *   missing filter still fails with its compile-time error);
 * - by generated code: the factory `new Function('K', 'P', code)`. Text, string literals,
 *   positions and the path are hoisted out of the code (`K[i]`, `P`), so templates that differ
 *   only in those — a project's many `select ... from {{ ref('x') }}` models — share one function
 *   (one `new Function`, and V8 compiles its bytecode once).
 *
 * Both are LRU-bounded by the characters they hold.
 */

/** A weight-bounded LRU over a Map (Map iteration order is insertion order). */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(private readonly budget: number) {}

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, weight: number): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.weight;
      this.map.delete(key);
    }
    if (weight > this.budget) return;
    this.map.set(key, { value, weight });
    this.total += weight;
    for (const [k, e] of this.map) {
      if (this.total <= this.budget) break;
      this.map.delete(k);
      this.total -= e.weight;
    }
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }
}
