import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  freePort,
  type ServerProcess,
  type StartOptions,
  startServer,
} from '../helpers/server-process.js';

/**
 * Runs the CLI in node itself rather than through npx: npx exits at once on SIGTERM without
 * waiting for the server, so the server keeps running unobserved and the test gets no exit code.
 */
export const serveCommand = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'serve'];

/** Starts one server with `serveCommand`. */
export function startServerProcess(env: Record<string, string>): ReturnType<typeof startServer> {
  const options: StartOptions = { env, command: serveCommand };
  return startServer(options);
}

/** Several keyward processes sharing one PostgreSQL schema and one Redis namespace. */
export interface Cluster {
  servers: ServerProcess[];
  /** Base URL of the next instance, round-robin. */
  next(): string;
  stop(): Promise<(number | null)[]>;
}

/**
 * Starts `count` instances with the variables every instance of one deployment shares: the
 * same secrets, issuer, database and Redis. The first one migrates before the others start,
 * as `keyward migrate` would in a deployment; `extraEnv` adds or overrides variables.
 */
export async function startCluster(
  count: number,
  shared: { databaseUrl: string; redisUrl: string },
  extraEnv: Record<string, string> = {},
): Promise<Cluster> {
  const env = {
    KEYWARD_DATABASE_URL: shared.databaseUrl,
    KEYWARD_REDIS_URL: shared.redisUrl,
    KEYWARD_JWT_SECRET: randomBytes(32).toString('base64url'),
    KEYWARD_API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    // Each instance would otherwise name itself as issuer by its own port and reject the others' tokens.
    KEYWARD_ISSUER: 'http://keyward.test',
    // Every test request comes from 127.0.0.1; the per-client auth limit has tests of its own.
    KEYWARD_AUTH_RATE_LIMIT: '100000/60s',
    KEYWARD_LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const servers = [await startServerProcess(env)];
  const others = Array.from({ length: count - 1 }, () => startServerProcess(env));
  servers.push(...(await Promise.all(others)));
  let turn = 0;
  return {
    servers,
    next: () => servers[turn++ % servers.length]!.url,
    stop: () => Promise.all(servers.map((server) => server.stop())),
  };
}

/** Sends a JSON request to a test server on loopback. `body` is the parsed response body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; apiKey?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

/**
 * Polls `GET /v1/me` with `apiKey` on `baseUrl` until it returns 401, and returns the time from
 * `since` (a performance.now() reading) in ms. Raises after `timeoutMs`.
 */
export async function msUntilRejected(
  baseUrl: string,
  apiKey: string,
  since: number,
  timeoutMs = 5000,
): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    const { status } = await call(baseUrl, 'GET', '/v1/me', { apiKey });
    if (status === 401) return performance.now() - since;
    if (status !== 200) throw new Error(`unexpected status ${status} while polling`);
  }
  throw new Error(`key still accepted at ${baseUrl} after ${timeoutMs} ms`);
}

/**
 * Starts a server whose log level hides the start-up line, as benchmarks run it so that request
 * logging costs nothing, and waits until `/healthz` returns 200 (at most 60 s).
 */
export async function startQuietServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, ...args] = serveCommand;
  const child = spawn(command!, args, {
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: 'pipe',
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) =>
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });

  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start:\n${output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, output, child, stop };
}
