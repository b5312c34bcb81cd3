import { connect, type Socket } from 'node:net';
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
 * and returns their statuses, the exit code and the order of the log messages. One more login
 * sends the last bytes of its body only once the stop has begun, so at least one request is
 * still running then, however fast the others finish. Its raw response is returned too.
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

  const heldLoginBody = JSON.stringify({ email, password });
  const heldLogin = await openSocket(server.url);
  const heldLoginResponse = readAll(heldLogin);
  heldLogin.write(
    'POST /v1/auth/login HTTP/1.1\r\nHost: keyward.test\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${heldLoginBody.length}\r\n\r\n${heldLoginBody.slice(0, 10)}`,
  );
  const logins = Array.from({ length: parallelLogins }, () =>
    call(server.url, 'POST', '/v1/auth/login', { body: { email, password } }),
  );
  await waitFor(() => received() === parallelLogins + 1, 10_000);
  const exited = server.stop();
  await waitFor(() => server.output.some((line) => messageOf(line) === 'server stopping'), 5000);
  heldLogin.write(heldLoginBody.slice(10));
  const statuses = (await Promise.all(logins)).map((response) => response.status);
  const heldLoginText = (await heldLoginResponse).toLowerCase();
  const code = await exited;
  const messages = server.output.map(messageOf);
  const refused = await call(server.url, 'GET', '/healthz').then(
    () => false,
    () => true,
  );
  return { statuses, heldLoginText, code, messages, refused };
}

function expectCleanStop(result: Awaited<ReturnType<typeof stopDuringLogins>>): void {
  const stopping = result.messages.indexOf('server stopping');
  const lastCompleted = result.messages.lastIndexOf('request completed');

  expect(result.statuses).toEqual(Array(parallelLogins).fill(200));
  // The held login was running when the stop began. It succeeds, and its response carries
  // Connection: close so the client opens a new connection for its next request.
  expect(result.heldLoginText.startsWith('http/1.1 200')).toBe(true);
  expect(result.heldLoginText).toContain('connection: close');
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

  it('serves a request that arrives on an open connection while stopping', async () => {
    const server = await startServerProcess(testEnv());
    const socket = await openSocket(server.url);
    const response = readAll(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: keyward.test\r\n');

    const exited = server.stop();
    await waitFor(() => server.output.some((line) => messageOf(line) === 'server stopping'), 5000);
    socket.write('\r\n');
    const text = (await response).toLowerCase();

    expect(text.startsWith('http/1.1 200')).toBe(true);
    expect(text).toContain('connection: close');
    expect(text).toContain('x-content-type-options: nosniff');
    expect(await exited).toBe(0);
  });

  it('stops despite a connection that never sends a request', async () => {
    const server = await startServerProcess(testEnv());
    const socket = await openSocket(server.url);
    const closed = readAll(socket);
    const startedAt = performance.now();

    const code = await server.stop();

    expect(code).toBe(0);
    // The drain timeout is 5 s and the grace period 10 s.
    expect(performance.now() - startedAt).toBeLessThan(9000);
    expect(await closed).toBe('');
    expect(server.output.map(messageOf)).toContain(
      'closing connections still open after the drain timeout',
    );
  });
});

/** Opens a TCP connection to a server's loopback URL. */
function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects everything the server sends until it closes the connection. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
