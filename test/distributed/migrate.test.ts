import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest, retryAfterConcurrentDrops } from '../../src/storage/migrate.js';
import { postgresAvailable, postgresUrl } from '../helpers/databases.js';
import { dropSchema, uniqueSchema, urlWithSchema } from './support/postgres.js';

/** Runs the CLI with `args` and the given environment; resolves with its exit code and output. */
function runCli(args: string[], env: Record<string, string>) {
  const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

describe.skipIf(!(await postgresAvailable()))('migrations on PostgreSQL', () => {
  const schemas: string[] = [];
  const newSchema = () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    return schema;
  };
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  async function tablesIn(schema: string, url: string): Promise<string[]> {
    const handle = openDatabase({ dialect: 'postgres', connectionString: url }, { poolSize: 1 });
    try {
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = ${schema} order by table_name
      `.execute(handle.db);
      return rows.map((row) => row.name);
    } finally {
      await handle.close();
    }
  }

  it('runs three concurrent migrations of a fresh schema once', async () => {
    const schema = newSchema();
    const url = urlWithSchema(schema);
    const handles = [0, 1, 2].map(() =>
      openDatabase({ dialect: 'postgres', connectionString: url }, { poolSize: 2 }),
    );
    try {
      const applied = await Promise.all(handles.map((handle) => migrateToLatest(handle)));
      const names = applied.flat();

      expect(new Set(names).size).toBe(names.length);
      expect(applied.filter((list) => list.length > 0)).toHaveLength(1);
      expect(await tablesIn(schema, url)).toEqual(
        expect.arrayContaining(['users', 'kysely_migration']),
      );
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  it('creates the schema named by the search_path of the URL', async () => {
    const schema = newSchema();
    const url = urlWithSchema(schema);
    const handle = openDatabase({ dialect: 'postgres', connectionString: url }, { poolSize: 1 });
    try {
      expect((await migrateToLatest(handle)).length).toBeGreaterThan(0);
      expect(await migrateToLatest(handle)).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it('migrates while another client creates and drops schemas', async () => {
    // Kysely reads every schema when it looks for its tables, and a schema dropped during that
    // read failed about one migration in four here with "schema ... does not exist".
    const churn = openDatabase(
      { dialect: 'postgres', connectionString: postgresUrl },
      { poolSize: 1 },
    );
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        // Each round drops its own schema, so none joins the list that afterAll drops.
        const schema = uniqueSchema();
        const tables = Array.from(
          { length: 20 },
          (_, i) => `create table ${schema}.t${i} (id serial)`,
        );
        await sql.raw(`create schema ${schema}; ${tables.join('; ')}`).execute(churn.db);
        await sql.raw(`drop schema ${schema} cascade`).execute(churn.db);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      for (let run = 0; run < 15; run++) {
        const schema = newSchema();
        const handle = openDatabase(
          { dialect: 'postgres', connectionString: urlWithSchema(schema) },
          { poolSize: 2 },
        );
        try {
          expect((await migrateToLatest(handle)).length).toBeGreaterThan(0);
        } finally {
          await handle.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.close();
    }
  });

  it('applies migrations with keyward migrate and exits', async () => {
    const schema = newSchema();
    const env = { KEYWARD_DATABASE_URL: urlWithSchema(schema) };
    const first = await runCli(['migrate', '--json'], env);
    const second = await runCli(['migrate', '--json'], env);

    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(0);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ applied: [] });
  });
});

describe('retryAfterConcurrentDrops', () => {
  const dropped = Object.assign(new Error('schema "kw_gone" does not exist'), { code: '3F000' });

  it('runs again after an object was dropped under it', async () => {
    const outcomes = [{ error: dropped }, { error: dropped }, { results: [] }];
    let calls = 0;

    const outcome = await retryAfterConcurrentDrops(async () => outcomes[calls++]!);

    expect(calls).toBe(3);
    expect(outcome.error).toBeUndefined();
  });

  it('gives up after ten attempts and returns the error', async () => {
    let calls = 0;

    const outcome = await retryAfterConcurrentDrops(async () => {
      calls++;
      return { error: dropped };
    });

    expect(calls).toBe(10);
    expect(outcome.error).toBe(dropped);
  });

  it('returns any other error at once', async () => {
    const other = Object.assign(new Error('syntax error'), { code: '42601' });
    let calls = 0;

    const outcome = await retryAfterConcurrentDrops(async () => {
      calls++;
      return { error: other };
    });

    expect(calls).toBe(1);
    expect(outcome.error).toBe(other);
  });
});
