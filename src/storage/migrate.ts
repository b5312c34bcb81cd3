import { type Kysely, Migrator, sql } from 'kysely';
import { KeywardError } from '../errors/index.js';
import type { DatabaseHandle } from './database.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * Applies every pending migration and returns the names applied. Safe to run from several
 * processes at once: Kysely takes a lock (an advisory lock on PostgreSQL, the write lock on
 * SQLite) so one migrates and the others find nothing left to do. On PostgreSQL the tables go
 * into `schema`, else into the schema that the connection's search_path selects, which is
 * created when missing. Raises `service_unavailable` when a migration fails.
 */
export async function migrateToLatest(handle: DatabaseHandle, schema?: string): Promise<string[]> {
  const tableSchema =
    handle.dialect === 'postgres'
      ? (schema ?? (await searchPathSchema(handle.db).catch(failed)))
      : undefined;
  const migrator = new Migrator({
    db: handle.db,
    provider: migrationProvider(handle.dialect),
    // Kysely creates a missing schema before it takes the lock, and ignores the error of a
    // concurrent `create schema` once the schema exists. A plain `create schema if not exists`
    // here would fail in one of several instances starting at once.
    ...(tableSchema ? { migrationTableSchema: tableSchema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) failed(error);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function failed(cause: unknown): never {
  throw new KeywardError('service_unavailable', 'database migration failed', {}, { cause });
}

/**
 * Returns the schema that unqualified table names resolve to (`current_schema()`). When no
 * schema of the search_path exists yet, returns the first one it names, for Kysely to create.
 * `$user` is skipped, as PostgreSQL skips it when no schema has the user's name.
 */
async function searchPathSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ current: string | null; path: string }>`
    select current_schema() as current, current_setting('search_path') as path
  `.execute(db);
  const row = rows[0];
  if (row?.current) return row.current;

  const named = row?.path.split(',').map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'));
  return named?.find((entry) => entry !== '' && entry !== '$user');
}
