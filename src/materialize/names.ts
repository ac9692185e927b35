/**
 * Names of the relations a build creates next to the model: `<name>__dbt_tmp` for the relation being
 * built and `<name>__dbt_backup` for the old one during a swap (dbt's suffixes, so operators who
 * know dbt recognise them). Postgres silently truncates identifiers to 63 bytes, which could make
 * two long model names share one intermediate name, so long names are cut and given a short hash.
 */
import { createHash } from 'node:crypto';

const MAX_IDENTIFIER_BYTES = 63;

export type IntermediateSuffix = '__dbt_tmp' | '__dbt_backup';

export function intermediateName(identifier: string, suffix: IntermediateSuffix): string {
  const full = identifier + suffix;
  if (Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES) return full;
  const hash = createHash('sha256').update(identifier).digest('hex').slice(0, 8);
  const tail = `_${hash}${suffix}`;
  let base = identifier;
  while (Buffer.byteLength(base + tail) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return base + tail;
}

/** `name` itself when it fits in 63 bytes, else a cut version ending in a short hash of it. */
export function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const tail = `_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  let base = name;
  while (Buffer.byteLength(base + tail) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return base + tail;
}

export function isIntermediateName(name: string): boolean {
  return name.endsWith('__dbt_tmp') || name.endsWith('__dbt_backup');
}
