/**
 * `api.Relation`: what `ref`, `source` and `this` return to templates.
 *
 * dbt code treats relations as objects (`rel.schema`, `rel.identifier`, `rel.is_view`,
 * `rel.incorporate(...)`) and as strings (`select * from {{ ref('x') }}`), so the class renders
 * itself through `toString`. Postgres cannot query across databases, so the database part is left
 * out of the rendered name by default: compiled SQL then runs unchanged on any database
 * (PGlite's `postgres`, a server's `analytics`).
 */
import { quoteIdent } from '../../warehouse';

export type RelationType = 'table' | 'view' | 'materialized_view' | 'cte' | 'external' | null;

interface IncludePolicy {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

export interface RelationSpec {
  database?: string | null;
  schema?: string | null;
  identifier?: string | null;
  type?: RelationType;
}

export class Relation {
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string | null;
  readonly type: RelationType;
  private readonly includePolicy: IncludePolicy;

  constructor(spec: RelationSpec, include?: Partial<IncludePolicy>) {
    this.database = spec.database ?? null;
    this.schema = spec.schema ?? null;
    this.identifier = spec.identifier ?? null;
    this.type = spec.type ?? null;
    this.includePolicy = { database: false, schema: true, identifier: true, ...include };
  }

  /** `api.Relation.create(database=, schema=, identifier=, type=)`: keyword or positional. */
  static create(spec: RelationSpec): Relation {
    return new Relation(spec);
  }

  get name(): string | null {
    return this.identifier;
  }
  get table(): string | null {
    return this.identifier;
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
  get is_materialized_view(): boolean {
    return this.type === 'materialized_view';
  }
  get is_cte(): boolean {
    return this.type === 'cte';
  }

  /** A copy with a different include policy (`rel.include(database=False)`). */
  include(policy: Partial<IncludePolicy>): Relation {
    return new Relation(this.spec(), { ...this.includePolicy, ...policy });
  }

  /** A copy with some path parts or the type replaced (`rel.incorporate(path={"identifier": x}, type='view')`). */
  incorporate(changes: { path?: RelationSpec; type?: RelationType }): Relation {
    return new Relation(
      { ...this.spec(), ...(changes.path ?? {}), type: changes.type ?? this.type },
      this.includePolicy,
    );
  }

  without_identifier(): Relation {
    return this.include({ identifier: false });
  }

  render(): string {
    // Unquoted, as dbt renders ephemeral CTEs and as `injectCtes` defines them: both sides then fold
    // a mixed-case model name the same way.
    if (this.type === 'cte') return this.identifier ?? '';
    const parts: string[] = [];
    if (this.includePolicy.database && this.database) parts.push(quoteIdent(this.database));
    if (this.includePolicy.schema && this.schema) parts.push(quoteIdent(this.schema));
    if (this.includePolicy.identifier && this.identifier) parts.push(quoteIdent(this.identifier));
    return parts.join('.');
  }

  toString(): string {
    return this.render();
  }

  /** Jinja's `==` on relations compares rendered names. */
  equals(other: unknown): boolean {
    return other instanceof Relation && other.render() === this.render();
  }

  private spec(): RelationSpec {
    return { database: this.database, schema: this.schema, identifier: this.identifier, type: this.type };
  }
}
