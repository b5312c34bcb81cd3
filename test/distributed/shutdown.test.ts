import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/databases.js';
import { testEnv } from '../helpers/server-process.js';
import { call, startServerProcess } from '../multi-instance/cluster.js';
import { waitFor } from './support/capture-logger.js';
import { dropSchema, uniqueSchema, urlWithSchema } from './support/postgres.js';
import { deleteKeys, redisSuitesRun, redisUrl, uniquePrefix } from './support/redis.js';

const password = 'correct horse battery staple';
const parallelLogins = 4;
const sharedServicesRun =
  (await postgresAvailable()) && (await redisSuitesRun('Shutdown test on PostgreSQL and Redis'));

/** Returns the message of a JSON log line, or '' for other output. */
function messageOf(line: string): string {
  try {
    return String(JSON.parse(line).msg ?? '');
  } catch {
    return '';
  }
}

/**
 * Starts a server, sends logins (each runs argon2, tens of ms), sends SIGTERM while they run,
 * and returns their statuses, the exit code and the order of the log messages.
 */
async function stopDuringLogins(env: Record<string, string>) {
  const server = await startServerProcess({
    ...testEnv(),
    ...env,
    KEYWARD_AUTH_RATE_LIMIT: '100000/60s',
  });
  const email = `shutdown-${Date.now()}@example.com`;
  expect(
    (await call(server.url, 'POST', '/v1/auth/signup', { body: { email, password } })).status,
  ).toBe(201);
  const received = () =>
    server.output.filter((line) => line.includes('"url":"/v1/auth/login"')).length;

  const logins = Array.from({ length: parallelLogins }, () =>
    call(server.url, 'POST', '/v1/auth/login', { body: { email, password } }),
  );
  await waitFor(() => received() === parallelLogins, 10_000);
  const exited = server.stop();
  const statuses = (await Promise.all(logins)).map((response) => response.status);
  const code = await exited;
  const messages = server.output.map(messageOf);
  const refused = await call(server.url, 'GET', '/healthz').then(
    () => false,
    () => true,
  );
  return { statuses, code, messages, refused };
}

function expectCleanStop(result: Awaited<ReturnType<typeof stopDuringLogins>>): void {
  const stopping = result.messages.indexOf('server stopping');
  const lastCompleted = result.messages.lastIndexOf('request completed');

  expect(result.statuses).toEqual(Array(parallelLogins).fill(200));
  expect(result.code).toBe(0);
  // The shutdown began while a login was still running.
  expect(stopping).toBeGreaterThanOrEqual(0);
  expect(stopping).toBeLessThan(lastCompleted);
  expect(result.messages).toContain('server stopped');
  expect(result.refused).toBe(true);
}

describe('shutdown on SIGTERM', () => {
  it('finishes logins in flight and exits 0 on SQLite', async () => {
    expectCleanStop(await stopDuringLogins({}));
  });

  it.skipIf(!sharedServicesRun)(
    'finishes logins in flight and exits 0 on PostgreSQL and Redis',
    async () => {
      const schema = uniqueSchema();
      const prefix = uniquePrefix();
      try {
        expectCleanStop(
          await stopDuringLogins({
            KEYWARD_DATABASE_URL: urlWithSchema(schema),
            KEYWARD_REDIS_URL: `${redisUrl}?keyPrefix=${encodeURIComponent(prefix)}`,
          }),
        );
      } finally {
        await dropSchema(schema);
        await deleteKeys(redisUrl, prefix);
      }
    },
  );
});
