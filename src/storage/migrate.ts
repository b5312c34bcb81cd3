import { Migrator, sql } from 'kysely';
import { KeywardError } from '../errors/index.js';
import type { DatabaseHandle } from './database.js';
import { migrationProvider } from './migrations/index.js';

/**
 * Applies every pending migration and returns the names applied. Safe to run from several
 * processes at once: Kysely takes a lock (an advisory lock on PostgreSQL, the write lock on
 * SQLite) so one migrates and the others find nothing left to do.
 * Raises `service_unavailable` when a migration fails.
 */
export async function migrateToLatest(handle: DatabaseHandle, schema?: string): Promise<string[]> {
  if (schema && handle.dialect === 'postgres') {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(handle.db);
  }
  const migrator = new Migrator({
    db: handle.db,
    provider: migrationProvider(handle.dialect),
    ...(schema && handle.dialect === 'postgres' ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    throw new KeywardError('service_unavailable', 'database migration failed', {}, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
