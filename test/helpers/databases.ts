import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { tempDataDir } from './server-process.js';

/** The PostgreSQL server of the test machines. */
export const postgresUrl =
  process.env.KEYWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated test database and how to remove it. */
export interface TestDatabase {
  handle: DatabaseHandle;
  /** Schema name on PostgreSQL, for other processes to share the database. */
  schema?: string;
  drop(): Promise<void>;
}

/** Opens a fresh, migrated SQLite file in a temporary folder. */
export async function openTestSqlite(): Promise<TestDatabase> {
  const handle = openDatabase({ dialect: 'sqlite', filename: join(tempDataDir(), 'test.db') });
  await migrateToLatest(handle);
  return { handle, drop: () => handle.close() };
}

/** Opens a fresh, migrated schema of its own on the test PostgreSQL, so runs cannot collide. */
export async function openTestPostgres(): Promise<TestDatabase> {
  const schema = `kw_test_${randomBytes(6).toString('hex')}`;
  const handle = openDatabase(
    { dialect: 'postgres', connectionString: postgresUrl },
    { schema, poolSize: 5 },
  );
  await migrateToLatest(handle, schema);
  return {
    handle,
    schema,
    async drop() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    },
  };
}

/**
 * Tells whether PostgreSQL accepts a query. Outside CI a missing server skips its suites with a
 * printed reason. In CI (CI=true) the suites run and fail loudly instead.
 */
export async function postgresAvailable(): Promise<boolean> {
  if (process.env.CI === 'true') return true;
  const handle = openDatabase(
    { dialect: 'postgres', connectionString: postgresUrl },
    { poolSize: 1 },
  );
  try {
    await sql`select 1`.execute(handle.db);
    return true;
  } catch (error) {
    console.warn(
      `PostgreSQL suites skipped: ${postgresUrl} did not answer (${(error as Error).message})`,
    );
    return false;
  } finally {
    await handle.close();
  }
}
