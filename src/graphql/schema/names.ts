/**
 * GraphQL casing for names that come from the manifest: `customer_clv` becomes the type
 * `CustomerClv`, the field `customerClv` and the enum value `CUSTOMER_CLV`. Every name is checked
 * against GraphQL's name grammar here, so a model or column that cannot be named fails the schema
 * build with its own name instead of an obscure graphql-js assertion later.
 */
import { MartqlError } from '../../errors';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The words of a snake_case (or any non-alphanumeric separated) name. */
function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

function checked(name: string, from: string): string {
  // A leading digit is legal in SQL (quoted) but not in GraphQL; an underscore keeps it readable.
  const candidate = /^[0-9]/.test(name) ? `_${name}` : name;
  if (!GRAPHQL_NAME.test(candidate) || candidate.startsWith('__')) {
    throw new MartqlError('YAML_SCHEMA', `'${from}' has no valid GraphQL name (got '${candidate}')`);
  }
  return candidate;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `customer_clv` → `CustomerClv`. */
export function typeName(name: string): string {
  return checked(words(name).map(capitalize).join(''), name);
}

/** `customer_clv` → `customerClv`; `_inputs_loaded_at` → `inputsLoadedAt`. */
export function fieldName(name: string): string {
  const [first = '', ...rest] = words(name);
  return checked(first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capitalize).join(''), name);
}

/** `customer_clv` → `CUSTOMER_CLV`. */
export function enumValueName(name: string): string {
  return checked(words(name).map((w) => w.toUpperCase()).join('_'), name);
}
