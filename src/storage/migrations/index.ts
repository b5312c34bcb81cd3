import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../database-url.js';
import * as initial from './0001-initial.js';
import * as apiKeySuccessor from './0002-api-key-successor.js';

type DialectMigration = {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down(db: Kysely<unknown>): Promise<void>;
};

// Listed in code rather than read from a folder, so the set is the same under tsx, a bundle
// or a test runner. Names sort in the order they apply.
const migrations: Record<string, DialectMigration> = {
  '0001-initial': initial,
  '0002-api-key-successor': apiKeySuccessor,
};

/** A Kysely migration provider whose migrations know which database they run on. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      const entries = Object.entries(migrations).map(([name, migration]) => [
        name,
        { up: (db: Kysely<unknown>) => migration.up(db, dialect), down: migration.down },
      ]);
      return Object.fromEntries(entries);
    },
  };
}
