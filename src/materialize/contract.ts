/**
 * Model contracts (`contract: {enforced: true}`): the relation a model builds must have exactly the
 * columns its YAML declares, with the declared `data_type`s, and the declared `constraints`.
 *
 * The check runs on the intermediate relation, before the model's current relation is touched, so a
 * broken contract never replaces good data. Types are compared by base type (size, precision and
 * scale are ignored, as in dbt); a column whose declared type carries a modifier (`numeric(10,2)`,
 * `varchar(20)`) is then altered to exactly that type. Constraints are added to the intermediate
 * table under temporary names (constraint names share the schema's namespace with indexes, and the
 * old table still holds the final names) and renamed once the swap has dropped the old table.
 */
import { MartqlError } from '../errors';
import type { ColumnProperties, NodeConfig } from '../project/types';
import { qualify, quoteIdent, type Column, type Session } from '../warehouse';
import { parseType, sameBaseType } from './data-types';
import { fitIdentifier, intermediateName } from './names';
import type { StatementLog } from './statement-log';
import type { RelationName } from './types';

export function contractEnforced(config: NodeConfig): boolean {
  const contract = config.contract;
  return (
    typeof contract === 'object' &&
    contract !== null &&
    (contract as { enforced?: unknown }).enforced === true
  );
}

export interface ContractProblem {
  column: string;
  /** The YAML `data_type`; null when the column is not declared (or declares no type). */
  declared: string | null;
  /** The type the model's SQL produced; null when the SQL does not produce the column. */
  built: string | null;
}

/** Pure: every way `built` differs from `declared`, in declaration order, then undeclared columns. */
export function checkContract(declared: ColumnProperties[], built: Column[]): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const builtByName = new Map(built.map((c) => [c.name, c]));
  const declaredNames = new Set<string>();
  for (const column of declared) {
    declaredNames.add(column.name);
    const actual = builtByName.get(column.name);
    const type = column.dataType ?? null;
    if (!actual || type === null || !sameBaseType(type, actual.dataType)) {
      problems.push({ column: column.name, declared: type, built: actual?.dataType ?? null });
    }
  }
  for (const column of built) {
    if (!declaredNames.has(column.name))
      problems.push({ column: column.name, declared: null, built: column.dataType });
  }
  return problems;
}

function describe(problem: ContractProblem): string {
  const name = `column "${problem.column}"`;
  if (problem.built === null)
    return `${name}: declared ${problem.declared ?? '(no data_type)'}, missing from the model's SQL`;
  if (problem.declared === null)
    return `${name}: built ${problem.built}, not declared with a data_type in YAML`;
  return `${name}: declared ${problem.declared}, built ${problem.built}`;
}

export function contractError(relation: RelationName, problems: ContractProblem[]): MartqlError {
  return new MartqlError(
    'CONTRACT',
    `the contract of ${relation.schema}.${relation.identifier} is not satisfied:\n` +
      problems.map((p) => `  ${describe(p)}`).join('\n'),
    {
      hint: "cast the column in the model's SQL or change its data_type in YAML; the existing relation was left as it was",
      data: { problems },
    },
  );
}

/** Checks the columns of a built relation; throws CONTRACT when they differ from the declaration. */
export async function checkBuiltColumns(
  tx: Session,
  built: { schema: string; name: string },
  model: RelationName,
  declared: ColumnProperties[],
): Promise<Column[]> {
  const columns = await tx.getColumns(built.schema, built.name);
  const problems = checkContract(declared, columns);
  if (problems.length > 0) throw contractError(model, problems);
  return columns;
}

/** A constraint added under a temporary name, to be renamed after the swap. */
export interface ConstraintRename {
  temporary: string;
  final: string;
}

interface ConstraintSpec {
  type: string;
  columns: string[];
  expression?: string;
  name?: string;
}

function specsOf(declared: ColumnProperties[], config: NodeConfig): ConstraintSpec[] {
  const specs: ConstraintSpec[] = [];
  const read = (raw: Record<string, unknown>, columns: string[]): ConstraintSpec => ({
    type: String(raw.type ?? ''),
    columns,
    expression: typeof raw.expression === 'string' ? raw.expression : undefined,
    name: typeof raw.name === 'string' ? raw.name : undefined,
  });
  for (const column of declared) for (const c of column.constraints) specs.push(read(c, [column.name]));
  const modelLevel = Array.isArray(config.constraints)
    ? (config.constraints as Record<string, unknown>[])
    : [];
  for (const c of modelLevel) specs.push(read(c, Array.isArray(c.columns) ? c.columns.map(String) : []));
  return specs;
}

const DEFAULT_SUFFIX: Record<string, string> = {
  primary_key: 'pkey',
  unique: 'key',
  check: 'check',
  foreign_key: 'fkey',
};

/** The ALTER TABLE clause that adds one constraint (without its name), or `set not null` clauses. */
function clauseFor(spec: ConstraintSpec, where: RelationName): string {
  const cols = spec.columns.map(quoteIdent).join(', ');
  const need = (what: string) => {
    throw new MartqlError('PROJECT_CONFIG', `a ${spec.type} constraint of ${where.identifier} needs ${what}`);
  };
  switch (spec.type) {
    case 'primary_key':
      if (spec.columns.length === 0) need('`columns`');
      return `primary key (${cols})`;
    case 'unique':
      if (spec.columns.length === 0) need('`columns`');
      return `unique (${cols})`;
    case 'check':
      if (!spec.expression) need('an `expression`');
      return `check (${spec.expression})`;
    case 'foreign_key':
      if (!spec.expression || spec.columns.length === 0)
        need('`columns` and an `expression` such as `other_schema.customers (id)`');
      return `foreign key (${cols}) references ${spec.expression}`;
    default:
      throw new MartqlError(
        'PROJECT_CONFIG',
        `${where.identifier}: constraint type '${spec.type}' is not supported (use not_null, primary_key, unique, check or foreign_key)`,
      );
  }
}

/**
 * Enforces the contract on the intermediate table `built` of model `model`: checks the columns,
 * sets declared type modifiers, adds constraints under temporary names. Returns the renames to run
 * after the swap. Throws CONTRACT before anything about the model's current relation changes.
 */
export async function enforceTableContract(
  tx: Session,
  log: StatementLog,
  built: { schema: string; name: string },
  model: RelationName,
  declared: ColumnProperties[],
  config: NodeConfig,
): Promise<ConstraintRename[]> {
  const columns = await checkBuiltColumns(tx, built, model, declared);
  const table = qualify(built.schema, built.name);
  const retype = declared.filter((d) => {
    const actual = columns.find((c) => c.name === d.name)!;
    return (
      parseType(d.dataType!).modifier !== null &&
      parseType(d.dataType!).modifier !== parseType(actual.dataType).modifier
    );
  });
  if (retype.length > 0) {
    const clauses = retype.map(
      (d) =>
        `alter column ${quoteIdent(d.name)} type ${d.dataType} using ${quoteIdent(d.name)}::${d.dataType}`,
    );
    await run(tx, log, `alter table ${table} ${clauses.join(', ')}`, 'the declared column types');
  }

  const renames: ConstraintRename[] = [];
  const used = new Set<string>();
  for (const spec of specsOf(declared, config)) {
    if (spec.type === 'not_null') {
      for (const c of spec.columns) {
        await run(
          tx,
          log,
          `alter table ${table} alter column ${quoteIdent(c)} set not null`,
          `not_null on "${c}"`,
        );
      }
      continue;
    }
    const clause = clauseFor(spec, model);
    let final =
      spec.name ??
      fitIdentifier(
        [
          model.identifier,
          ...(spec.type === 'primary_key' ? [] : spec.columns),
          DEFAULT_SUFFIX[spec.type],
        ].join('_'),
      );
    for (let i = 1; used.has(final); i++) final = fitIdentifier(`${spec.name ?? final}${i}`);
    used.add(final);
    const temporary = intermediateName(final, '__dbt_tmp');
    await run(
      tx,
      log,
      `alter table ${table} add constraint ${quoteIdent(temporary)} ${clause}`,
      `${spec.type} ${final}`,
    );
    renames.push({ temporary, final });
  }
  return renames;
}

async function run(tx: Session, log: StatementLog, sql: string, what: string): Promise<void> {
  try {
    await log.query(tx, sql);
  } catch (err) {
    throw new MartqlError(
      'CONTRACT',
      `the contract's ${what} does not hold for the new data: ${(err as Error).message}`,
      {
        cause: err,
        hint: 'the existing relation was left as it was',
        data: (err as MartqlError).data,
      },
    );
  }
}

export async function renameConstraints(
  tx: Session,
  log: StatementLog,
  table: { schema: string; name: string },
  renames: ConstraintRename[],
): Promise<void> {
  for (const r of renames) {
    await log.query(
      tx,
      `alter table ${qualify(table.schema, table.name)} rename constraint ${quoteIdent(r.temporary)} to ${quoteIdent(r.final)}`,
    );
  }
}
