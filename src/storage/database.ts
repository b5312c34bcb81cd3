import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createOutageLog, type OutageLogger } from '../distributed/outage-log.js';
import type { DatabaseLocation, Dialect } from './database-url.js';
import type { Database } from './schema.js';

/** An open database: the Kysely handle, which dialect it speaks, and how to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Schema to use on PostgreSQL (created if missing); tests give each run its own. */
  schema?: string;
  /** Connection pool size on PostgreSQL. Default 10. */
  poolSize?: number;
  /** Receives one warning when pooled PostgreSQL connections are lost, and one at recovery. */
  logger?: OutageLogger;
}

// PostgreSQL returns int8 as strings to protect precision above 2^53; our int8 columns are
// millisecond times and counters far below that, so both databases return plain numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Opens the database at `location`. SQLite files are created, with their folder, when missing. */
export function openDatabase(
  location: DatabaseLocation,
  options: OpenDatabaseOptions = {},
): DatabaseHandle {
  if (location.dialect === 'sqlite') {
    return openSqlite(location.filename);
  }
  return openPostgres(location.connectionString, options);
}

function openSqlite(filename: string): DatabaseHandle {
  if (filename !== ':memory:') {
    mkdirSync(dirname(filename), { recursive: true });
  }
  const sqlite = new SQLite(filename);
  // WAL lets readers run beside the one writer. busy_timeout makes a second process (the CLI
  // beside the server) wait for the write lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(connectionString: string, options: OpenDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    // TCP keep-alive finds connections that a firewall or a failover dropped without a reset.
    keepAlive: true,
    // A schema per test run keeps parallel runs apart. Elsewhere the URL can choose one with
    // `?options=-c%20search_path%3DNAME`, which pg sends as a start-up option.
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // Node would end the process. The pool drops that client and the next query connects anew.
  const outage = options.logger && createOutageLog(options.logger, { service: 'database' });
  pool.on('error', (error) => outage?.failed('pool', error));
  pool.on('connect', () => outage?.recovered('pool'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
