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
    // Getters in the literal rather than defineProperty calls afterwards: one dict per render
    // (thousands per compile), and the literal keeps the object's shape shared.
    get config() {
      return input.config();
    },
    get tags() {
      return input.config().tags;
    },
    get meta() {
      return input.config().meta;
    },
  };
  return dict;
}
