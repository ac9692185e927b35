/**
 * dbt's `model` context variable: the node being rendered, as the dict dbt code reads
 * (`model.name`, `model.config.materialized`, `model.unique_id`, `model.raw_code`, ...).
 */
import type { NodeConfig, ProjectFile } from '../project/types';

export function modelDict(input: {
  uniqueId: string;
  resourceType: string;
  file: ProjectFile & {
    name: string;
    fqn: string[];
    properties?: { description: string; columns: unknown[] };
  };
  /** A getter, because `config()` calls during the parse change the config as rendering proceeds. */
  config: () => NodeConfig;
  relation?: { database: string; schema: string; identifier: string };
}): Record<string, unknown> {
  const { file } = input;
  const dict: Record<string, unknown> = {
    unique_id: input.uniqueId,
    resource_type: input.resourceType,
    name: file.name,
    package_name: file.package,
    path: file.path,
    original_file_path: file.path,
    fqn: file.fqn,
    raw_code: file.contents,
    raw_sql: file.contents,
    language: 'sql',
    description: file.properties?.description ?? '',
    columns: Object.fromEntries(
      ((file.properties?.columns ?? []) as { name: string }[]).map((c) => [c.name, c]),
    ),
    database: input.relation?.database,
    schema: input.relation?.schema,
    alias: input.relation?.identifier,
    version: null,
  };
  Object.defineProperty(dict, 'config', { get: input.config, enumerable: true });
  Object.defineProperty(dict, 'tags', { get: () => input.config().tags, enumerable: true });
  Object.defineProperty(dict, 'meta', { get: () => input.config().meta, enumerable: true });
  return dict;
}
