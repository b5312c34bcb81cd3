import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from '../../helpers/server-process.js';

/** The shared Redis of the test machine, reached on loopback only. */
export const redisUrl = process.env.KEYWARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Returns a new key prefix for one test run, so that runs sharing one Redis stay apart. */
export function uniquePrefix(): string {
  return `kwtest:${randomBytes(6).toString('hex')}:`;
}

/**
 * Tells whether the suites that need Redis run. Outside CI a missing server skips them with a
 * printed reason; with CI=true they run and fail when the server is missing.
 */
export async function redisSuitesRun(suite: string): Promise<boolean> {
  if (process.env.CI === 'true') return true;
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    console.warn(
      `${suite} skipped: Redis at ${redisUrl} did not answer (${(error as Error).message}).`,
    );
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Tells whether a `redis-server` binary can be started, for the outage suites. */
export function redisServerInstalled(suite: string): boolean {
  if (process.env.CI === 'true') return true;
  const found = spawnSync('redis-server', ['--version']).status === 0;
  if (!found) console.warn(`${suite} skipped: no redis-server binary on PATH to start and stop.`);
  return found;
}

/** Deletes every key under `prefix`, by SCAN so that a large database is not blocked. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A redis-server child process of one test, on a loopback port of its own. */
export interface RedisServer {
  port: number;
  url: string;
  /** Kills the server at once (SIGKILL), as a crash would; the port stays reserved for restart. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, empty. */
  restart(): Promise<void>;
}

/** Starts a throwaway redis-server with no persistence on a free loopback port. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      child = await launch(port);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: 'pipe' });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${output.join('')}`)),
      10_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (output.join('').includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output.join('')}`));
    });
  });
  return child;
}
