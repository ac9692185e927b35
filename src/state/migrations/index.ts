/**
 * Every state-schema migration, in order. A new migration is a new file here and one more entry;
 * applied migrations are never edited, because databases out there already ran them.
 */
import { initial } from './001-initial';
import type { Migration } from './migration';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [initial];

/** The schema version this code creates and understands. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
