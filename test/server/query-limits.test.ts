/**
 * The depth and cost validation rules against an oracle: the same query executed on a schema whose
 * lists return exactly `limit` items (one when a list takes no limit) and whose resolvers count
 * themselves. Cost is then the number of fields resolved and depth the deepest resolved path, for
 * random queries as well as hand-written ones. Variables, defaults, fragments and introspection
 * are covered separately.
 */
import {
  buildSchema,
  execute,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import {
  costLimitRule,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
  depthLimitRule,
} from '../../src/server/query-limits';
import { prng } from '../helpers/prng';

const SDL = `
  type Query {
    page(limit: Int = 100, offset: Int = 0): Page!
    items(limit: Int = 50): [Item!]!
    tags: [String!]!
    item: Item
    version: String
  }
  type Page { rows: [Item!]! totalCount: Int! meta: Meta! }
  type Meta { model: String refresh: Refresh }
  type Refresh { kind: String models: [String!]! }
  type Item { id: Int name: String children(limit: Int): [Item!]! parent: Item tags: [String!]! }
`;

/** Counts resolved fields and the deepest path while answering like the API would. */
function oracleSchema(): { schema: GraphQLSchema; measure(query: string): { cost: number; depth: number } } {
  const schema = buildSchema(SDL);
  let fields = 0;
  let deepest = 0;
  const resolver: GraphQLFieldResolver<unknown, unknown> = (_source, args, _ctx, info) => {
    fields += 1;
    let depth = 0;
    for (let p: typeof info.path | undefined = info.path; p; p = p.prev)
      if (typeof p.key === 'string') depth += 1;
    deepest = Math.max(deepest, depth);
    const type = info.returnType.toString().replace(/!/g, '');
    const pendingLimit = (_source as { limit?: number } | null)?.limit;
    const n = typeof args.limit === 'number' ? args.limit : (pendingLimit ?? 1);
    if (type.startsWith('[')) return Array.from({ length: n }, () => (type === '[String]' ? 'x' : {}));
    if (type === 'Int') return 1;
    if (type === 'String') return 'x';
    // An object under a `limit` argument carries it to its list-typed children (a page's rows).
    return typeof args.limit === 'number' ? { limit: args.limit } : {};
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type)) continue;
    for (const field of Object.values((type as any).getFields()) as any[]) field.resolve = resolver;
  }
  return {
    schema,
    measure(query) {
      fields = 0;
      deepest = 0;
      const result = execute({ schema, document: parse(query) }) as { errors?: unknown[] };
      expect(result.errors).toBeUndefined();
      return { cost: fields, depth: deepest };
    },
  };
}

function ruleErrors(
  schema: GraphQLSchema,
  query: string,
  maxDepth: number,
  maxCost: number,
  variableLimit = 1000,
) {
  return validate(schema, parse(query), [
    ...specifiedRules,
    depthLimitRule(maxDepth),
    costLimitRule(maxCost, variableLimit),
  ]);
}

/** The figure a rule reports, read back from its error (the rule is silent at or under the limit). */
function reported(schema: GraphQLSchema, query: string) {
  const errors = ruleErrors(schema, query, 0, 0);
  const depth = errors.find((e) => e.extensions.code === 'QUERY_TOO_DEEP')?.extensions.depth;
  const cost = errors.find((e) => e.extensions.code === 'QUERY_TOO_COMPLEX')?.extensions.cost;
  return { depth, cost };
}

/** A random query over SDL with literal limits, nested fragments and aliases. */
function randomQuery(random: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const limit = () => 1 + Math.floor(random() * 5);
  const item = (level: number): string => {
    const parts = ['id'];
    if (random() < 0.5) parts.push('name');
    if (random() < 0.4) parts.push('tags');
    if (level < 4 && random() < 0.5) parts.push(`children(limit: ${limit()}) { ${item(level + 1)} }`);
    if (level < 4 && random() < 0.3) parts.push(`parent { ${item(level + 1)} }`);
    if (level < 4 && random() < 0.2) parts.push(`... on Item { again: name }`);
    return parts.join(' ');
  };
  const roots = [
    () => `page(limit: ${limit()}) { rows { ${item(1)} } totalCount meta { model refresh { kind models } } }`,
    () => `items(limit: ${limit()}) { ${item(1)} }`,
    () => 'tags',
    () => `item { ${item(1)} }`,
    () => 'version',
  ];
  const fields = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => `r${i}: ${pick(roots)()}`);
  return `query Q { ${fields.join(' ')} }`;
}

describe('query limits', () => {
  const { schema, measure } = oracleSchema();

  it('cost and depth equal what executing the query resolves (200 random queries)', () => {
    const random = prng(5);
    for (let i = 0; i < 200; i++) {
      const query = randomQuery(random);
      const truth = measure(query);
      expect({ query, ...reported(schema, query) }).toEqual({ query, ...truth });
    }
  });

  it('counts fragments once per use, defaults as given by the schema, variables as the worst case', () => {
    const fragments = `
      query F { page(limit: 3) { rows { ...I } } items(limit: 2) { ...I } }
      fragment I on Item { id children(limit: 2) { ...J } }
      fragment J on Item { name }`;
    expect(reported(schema, fragments)).toEqual(measure(fragments));
    // Defaults: page 100 rows, items 50.
    const defaults = '{ page { rows { id } } items { id } }';
    expect(reported(schema, defaults)).toEqual({ cost: 1 + (1 + 100) + (1 + 50), depth: 3 });
    // A variable limit counts as variableLimit, whatever the request sends later.
    const errors = ruleErrors(schema, 'query V($n: Int) { items(limit: $n) { id } }', 10, 0, 700);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 700 });
  });

  it('refuses over the limit with a coded error naming limit and figure, and allows at the limit', () => {
    const query = 'query Deep { item { parent { parent { parent { id } } } } }';
    expect(ruleErrors(schema, query, 5, 1000)).toEqual([]);
    const [deep] = ruleErrors(schema, query, 4, 1000);
    expect(deep.message).toBe("operation Deep is 5 fields deep; the server's limit is 4 (maxDepth)");
    expect(deep.extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });

    const wide = '{ items(limit: 10) { id name } }';
    expect(ruleErrors(schema, wide, 10, 21)).toEqual([]);
    const [complex] = ruleErrors(schema, wide, 10, 20);
    expect(complex.message).toMatch(/^the query costs 21 .*limit is 20 \(maxCost\)/);
    expect(complex.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 21, maxCost: 20 });
  });

  it('a fragment cycle does not hang the rules (graphql-js reports the cycle)', () => {
    const errors = ruleErrors(schema, '{ item { ...A } } fragment A on Item { parent { ...A } }', 3, 10);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('the defaults let the playground introspect', () => {
    const introspection = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
    expect(ruleErrors(schema, introspection, DEFAULT_MAX_DEPTH, DEFAULT_MAX_COST)).toEqual([]);
    const { depth, cost } = reported(schema, introspection);
    expect(depth).toBeLessThanOrEqual(DEFAULT_MAX_DEPTH);
    expect(cost).toBeLessThan(DEFAULT_MAX_COST / 100);
  });
});
