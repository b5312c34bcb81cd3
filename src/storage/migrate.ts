import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
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
  const { error, results = [] } = await retryAfterConcurrentDrops(() => migrator.migrateToLatest());
  if (error) failed(error);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Most runs of the migrator while each fails only because another client dropped an object.
 * Under a test that drops a 20-table schema every 25 ms, about one run in four failed, so 10
 * attempts leave an estimated one failure in a million runs (0.25 to the 10th power).
 */
const maxAttempts = 10;

/**
 * Runs `run` again while it fails with PostgreSQL's "schema does not exist" (3F000) or
 * "relation does not exist" (42P01), at most `maxAttempts` times in all. Kysely checks for its
 * tables by reading every table of every schema in the database, and looks each schema up by
 * name. When another client drops a schema during that read, as other applications or tests
 * sharing the database may, the read fails with one of these errors. The failure comes before
 * the migration lock or inside the rolled-back migration transaction, so nothing was applied,
 * and the next attempt reads the catalog afresh. A schema that is really missing fails every
 * attempt and is reported.
 */
export async function retryAfterConcurrentDrops(
  run: () => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await run();
    if (!outcome.error || attempt >= maxAttempts || !isDroppedObjectError(outcome.error)) {
      return outcome;
    }
  }
}

function isDroppedObjectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '3F000' || code === '42P01';
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
