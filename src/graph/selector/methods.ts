/**
 * Selector methods: which nodes and sources one `method:value` matches, before graph operators.
 *
 * Nodes and sources are first flattened into one `Selectable` shape so that every method is a
 * plain predicate over the same fields, and adding a method is one `case`.
 */
import { MartqlError } from '../../errors';
import type { SourceTable } from '../../project/types';
import { graphIndex, type GraphIndex } from '../graph-index';
import type { Manifest, ManifestNode, ResourceType } from '../types';
import { globMatch, hasWildcard } from './glob';
import type { Mask } from './graph-ops';
import type { Criterion } from './parse';

/** The fields selector methods look at, for a node or a source. */
export interface Selectable {
  id: string;
  resourceType: ResourceType;
  package: string;
  name: string;
  fqn: string[];
  /** Path relative to the package root (a source's YAML file). */
  path: string;
  tags: string[];
  config: Record<string, unknown>;
  /** Sources only. */
  sourceName?: string;
  /** Tests only: generic tests carry the test macro's name. */
  testName?: string;
}

const RESOURCE_TYPES: ResourceType[] = ['model', 'seed', 'test', 'snapshot', 'analysis', 'source'];
const TEST_TYPES = ['generic', 'singular', 'data', 'unit'];

/** One `Selectable` per index position of the manifest's graph index, built once per manifest. */
export function selectables(manifest: Manifest): Selectable[] {
  const index = graphIndex(manifest);
  const cached = cache.get(index);
  if (cached) return cached;
  const items = index.ids.map((id) => {
    const n = manifest.nodes.get(id);
    if (n) return fromNode(n);
    const s = manifest.sources.get(id);
    if (s) return fromSource(s);
    throw new MartqlError('INTERNAL', `graph id '${id}' is neither a node nor a source`);
  });
  cache.set(index, items);
  return items;
}

const cache = new WeakMap<GraphIndex, Selectable[]>();

function fromNode(n: ManifestNode): Selectable {
  return {
    id: n.uniqueId,
    resourceType: n.resourceType,
    package: n.package,
    name: n.name,
    fqn: n.fqn,
    path: n.path,
    tags: n.config.tags ?? [],
    config: n.config,
    sourceName: undefined,
    testName: n.testMetadata
      ? [n.testMetadata.namespace, n.testMetadata.name].filter(Boolean).join('.')
      : undefined,
  };
}

function fromSource(s: SourceTable): Selectable {
  const configTags = Array.isArray(s.config.tags) ? (s.config.tags as string[]) : [];
  return {
    id: s.uniqueId,
    resourceType: 'source',
    package: s.package,
    name: s.name,
    fqn: [s.package, s.sourceName, s.name],
    path: s.location.file,
    tags: [...new Set([...s.tags, ...configTags])],
    config: s.config,
    sourceName: s.sourceName,
    testName: undefined,
  };
}

/** A mask (aligned with `items`) of what one criterion's method matches, before graph operators. */
export function matchMethod(items: Selectable[], criterion: Criterion, rootPackage?: string): Mask {
  const predicate = predicateFor(criterion, rootPackage);
  const mask = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) if (predicate(items[i])) mask[i] = 1;
  return mask;
}

type Predicate = (s: Selectable) => boolean;

function predicateFor(criterion: Criterion, rootPackage: string | undefined): Predicate {
  const { value } = criterion;
  switch (criterion.method) {
    case 'name':
      // dbt's default method: a path-looking value is a path, anything else a name or an fqn.
      if (value.includes('/')) return (s) => matchPath(s.path, value);
      if (/\.(sql|py|csv|ya?ml)$/i.test(value)) return fileMatcher(value);
      return nameOrFqn(value);
    case 'fqn': {
      const matches = fqnMatcher(value);
      return (s) => matches(s.fqn);
    }
    case 'tag':
      return (s) => s.tags.some((t) => globMatch(t, value));
    case 'path':
      return (s) => matchPath(s.path, value);
    case 'file':
      return fileMatcher(value);
    case 'config':
      return (s) => configMatches(lookupPath(s.config, criterion.methodArgs), value);
    case 'resource_type':
      if (!(RESOURCE_TYPES as string[]).includes(value)) {
        throw invalidValue(criterion, `expected one of ${RESOURCE_TYPES.join(', ')}`);
      }
      return (s) => s.resourceType === value;
    case 'source':
      return sourcePredicate(value);
    case 'package': {
      const pkg = value === 'this' && rootPackage !== undefined ? rootPackage : value;
      return (s) => globMatch(s.package, pkg);
    }
    case 'test_type':
      if (!TEST_TYPES.includes(value))
        throw invalidValue(criterion, `expected one of ${TEST_TYPES.join(', ')}`);
      return testTypePredicate(value);
    case 'test_name':
      return (s) => s.testName !== undefined && globMatch(s.testName, value);
    case 'group':
      return (s) => configMatches(s.config.group, value);
    case 'access':
      return (s) => configMatches(s.config.access, value);
  }
}

function nameOrFqn(value: string): Predicate {
  const matches = fqnMatcher(value);
  return (s) => globMatch(s.name, value) || matches(s.fqn);
}

function invalidValue(criterion: Criterion, expected: string): MartqlError {
  return new MartqlError(
    'SELECTOR',
    `Selector '${criterion.raw}' has an invalid value '${criterion.value}'`,
    {
      hint: expected,
      data: { selector: criterion.raw },
    },
  );
}

function testTypePredicate(value: string): Predicate {
  switch (value) {
    case 'generic':
      return (s) => s.resourceType === 'test' && s.testName !== undefined;
    case 'singular':
      return (s) => s.resourceType === 'test' && s.testName === undefined;
    case 'data':
      return (s) => s.resourceType === 'test';
    default:
      // Unit tests are not implemented, so `test_type:unit` selects nothing.
      return () => false;
  }
}

function sourcePredicate(value: string): Predicate {
  const parts = value.split('.');
  return (s) => {
    if (s.resourceType !== 'source' || s.sourceName === undefined) return false;
    switch (parts.length) {
      case 1:
        return globMatch(s.sourceName, parts[0]);
      case 2:
        return globMatch(s.sourceName, parts[0]) && globMatch(s.name, parts[1]);
      default:
        return (
          globMatch(s.package, parts[0]) &&
          globMatch(s.sourceName, parts[1]) &&
          globMatch(s.name, parts.slice(2).join('.'))
        );
    }
  };
}

/** dbt's `file:`: the file name, with or without its extension. */
function fileMatcher(value: string): Predicate {
  return (s) => {
    const base = s.path.slice(s.path.lastIndexOf('/') + 1);
    return globMatch(base, value) || globMatch(base.replace(/\.[^.]*$/, ''), value);
  };
}

/** A file, the file without its extension, a folder containing it, or a glob over any of them. */
export function matchPath(path: string, rawValue: string): boolean {
  const value = rawValue.replace(/^\.\//, '').replace(/\/+$/, '');
  if (value === '' || value === '.') return true;
  if (!hasWildcard(value)) {
    return path === value || path.startsWith(`${value}/`) || path.replace(/\.[^./]*$/, '') === value;
  }
  if (globMatch(path, value)) return true;
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    if (globMatch(path.slice(0, i), value)) return true;
  }
  return false;
}

/**
 * dbt's fqn matching: the value's dot-separated parts must equal the fqn's leading parts (so
 * `pkg.staging` selects a whole folder); from the first part with a wildcard on, the rest of the
 * value is matched as one glob against the rest of the fqn. A value equal to the last part (the
 * name) always matches.
 */
export function matchFqn(fqn: string[], value: string): boolean {
  return fqnMatcher(value)(fqn);
}

function fqnMatcher(value: string): (fqn: string[]) => boolean {
  const parts = value.split('.');
  const wild = parts.findIndex(hasWildcard);
  const rest = wild === -1 ? '' : parts.slice(wild).join('.');
  return (fqn) => {
    if (fqn.length > 0 && fqn[fqn.length - 1] === value) return true;
    const flat = fqn.some((p) => p.includes('.')) ? fqn.flatMap((p) => p.split('.')) : fqn;
    if (parts.length > flat.length) return false;
    const exact = wild === -1 ? parts.length : wild;
    for (let i = 0; i < exact; i++) if (flat[i] !== parts[i]) return false;
    return wild === -1 || globMatch(flat.slice(wild).join('.'), rest);
  };
}

function lookupPath(config: Record<string, unknown>, keys: string[]): unknown {
  let current: unknown = config;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A config value matches when its text (or, for lists, any element's text) matches the value. */
function configMatches(actual: unknown, value: string): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((item) => configMatches(item, value));
  if (typeof actual === 'object') return false;
  if (typeof actual === 'boolean') return String(actual) === value.toLowerCase();
  return globMatch(String(actual), value);
}
