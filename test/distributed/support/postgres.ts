import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../../../src/storage/database.js';
import { postgresUrl } from '../../helpers/databases.js';

/** Returns a new schema name for one test run. */
export function uniqueSchema(): string {
  return `kw_test_${randomBytes(6).toString('hex')}`;
}

/** Adds a search_path option to a PostgreSQL URL, the way a deployment selects a schema. */
export function urlWithSchema(schema: string, base = postgresUrl): string {
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const handle = openDatabase(
    { dialect: 'postgres', connectionString: postgresUrl },
    { poolSize: 1 },
  );
  try {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(handle.db);
  } finally {
    await handle.close();
  }
}
