/**
 * Parsing dbt's node selection syntax into a small tree.
 *
 * `--select "a+ tag:x,config.materialized:view"` is a union (spaces, and separate list entries) of
 * intersections (commas) of criteria; a criterion is an optional graph operator around
 * `method:value` (`@x`, `+x`, `2+x`, `x+`, `x+3`, `+x+`). Parsing is separate from evaluation so a
 * malformed selector fails before any graph work, with the offending piece named.
 */
import { MartqlError, closestName } from '../../errors';

export const METHODS = [
  'name',
  'fqn',
  'tag',
  'path',
  'file',
  'config',
  'resource_type',
  'source',
  'package',
  'test_type',
  'test_name',
  'group',
  'access',
] as const;

export type MethodName = (typeof METHODS)[number];

export interface Criterion {
  /** The text as written, for messages. */
  raw: string;
  method: MethodName;
  /** `config.materialized` -> `['materialized']`; empty for other methods. */
  methodArgs: string[];
  value: string;
  /** `+x` / `2+x`: include ancestors, up to `parentsDepth` generations when set. */
  parents: boolean;
  parentsDepth?: number;
  /** `x+` / `x+2`: include descendants, up to `childrenDepth` generations when set. */
  children: boolean;
  childrenDepth?: number;
  /** `@x`: x, its descendants, and every ancestor of those descendants. */
  childrensParents: boolean;
}

export type SelectionSpec =
  | { kind: 'union'; items: SelectionSpec[] }
  | { kind: 'intersection'; items: SelectionSpec[] }
  | { kind: 'criterion'; criterion: Criterion };

const CRITERION = /^(@)?(?:(\d*)\+)?(?:([A-Za-z_][\w.]*):)?(.*?)(?:\+(\d*))?$/;

/** Parses a list of selector strings; the result is the union of all of them. */
export function parseSelection(expressions: string[]): SelectionSpec {
  const items: SelectionSpec[] = [];
  for (const expression of expressions) {
    for (const word of expression.trim().split(/\s+/)) {
      if (word === '') continue;
      const parts = word.split(',');
      if (parts.some((p) => p === '')) throw selectorError(word, 'has an empty part around a comma');
      const criteria = parts.map((part): SelectionSpec => ({
        kind: 'criterion',
        criterion: parseCriterion(part),
      }));
      items.push(criteria.length === 1 ? criteria[0] : { kind: 'intersection', items: criteria });
    }
  }
  return { kind: 'union', items };
}

/** True when the expressions hold no criterion at all (dbt's "select everything"). */
export function isEmptySelection(expressions: string[] | undefined): boolean {
  return !expressions || expressions.every((e) => e.trim() === '');
}

export function parseCriterion(raw: string): Criterion {
  const m = CRITERION.exec(raw);
  if (!m) throw selectorError(raw, 'is not a valid selector');
  const [, at, parentsDepth, methodText, value, childrenDepth] = m;
  const parents = parentsDepth !== undefined;
  const children = childrenDepth !== undefined;
  if (at && parents) throw selectorError(raw, "combines '@' with a '+' prefix, which dbt does not allow");
  if (value === '') {
    const what = methodText !== undefined ? `has no value after '${methodText}:'` : 'has no value';
    throw selectorError(raw, what);
  }
  const [methodName, ...methodArgs] = (methodText ?? 'name').split('.');
  if (!(METHODS as readonly string[]).includes(methodName)) {
    const closest = closestName(methodName, METHODS);
    throw selectorError(
      raw,
      `uses unknown method '${methodName}'`,
      closest ? `did you mean '${closest}:'?` : undefined,
    );
  }
  const method = methodName as MethodName;
  if (method === 'config' && methodArgs.length === 0) {
    throw selectorError(raw, "needs a config key: 'config.<key>:<value>'");
  }
  if (method !== 'config' && methodArgs.length > 0) {
    throw selectorError(raw, `uses unknown method '${methodText}'`);
  }
  return {
    raw,
    method,
    methodArgs,
    value,
    parents,
    parentsDepth: parentsDepth ? Number(parentsDepth) : undefined,
    children,
    childrenDepth: childrenDepth ? Number(childrenDepth) : undefined,
    childrensParents: at !== undefined,
  };
}

function selectorError(raw: string, what: string, hint?: string): MartqlError {
  return new MartqlError('SELECTOR', `Selector '${raw}' ${what}`, { hint, data: { selector: raw } });
}
