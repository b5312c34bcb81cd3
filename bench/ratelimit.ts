/**
 * Measures the rate limiter: decisions per second on the memory store and on Redis over loopback,
 * and heap per 100 000 keys in the memory store. Run alone with
 * `node --expose-gc --import tsx bench/ratelimit.ts`; without --expose-gc the heap row is skipped.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import {
  createMemoryStore,
  createRateLimiter,
  createRedisStore,
  type RateLimiter,
} from '../src/ratelimit/index.js';

/** One row of the result table. */
export interface RateLimitBenchResult {
  name: string;
  value: number | null;
  unit: string;
  note: string;
}

/** A policy that both admits and refuses during the run, so both paths are measured. */
const POLICY = { limit: 1000, windowMs: 1000 };
const KEY_COUNT = 1000;

async function measureDecisions(limiter: RateLimiter, total: number, inFlight: number) {
  const started = process.hrtime.bigint();
  for (let done = 0; done < total; done += inFlight) {
    // The memory store decides synchronously, so only the Redis store's decisions are awaited.
    const pending: Promise<unknown>[] = [];
    for (let index = 0; index < inFlight; index += 1) {
      const decision = limiter.limit(`key_${(done + index) % KEY_COUNT}`, POLICY);
      if (decision instanceof Promise) pending.push(decision);
    }
    if (pending.length > 0) await Promise.all(pending);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(total / seconds);
}

async function benchMemory(): Promise<RateLimitBenchResult[]> {
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  const limiter = createRateLimiter({ store });
  await measureDecisions(limiter, 200_000, 1); // warm-up for the JIT
  const rate = await measureDecisions(limiter, 2_000_000, 1);
  store.close();
  const note = `${KEY_COUNT} keys, ${POLICY.limit}/${POLICY.windowMs}ms, decided synchronously`;
  return [{ name: 'memory store', value: rate, unit: 'decisions/s', note }];
}

async function benchRedis(): Promise<RateLimitBenchResult[]> {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (error) {
    const note = `skipped: Redis at 127.0.0.1:6379 unreachable (${(error as Error).message})`;
    return [{ name: 'redis store', value: null, unit: 'decisions/s', note }];
  }
  const keyPrefix = `keyward:bench:ratelimit:${randomUUID()}:`;
  const limiter = createRateLimiter({ store: createRedisStore({ redis, keyPrefix }) });
  await measureDecisions(limiter, 2_000, 1);
  const sequential = await measureDecisions(limiter, 20_000, 1);
  const concurrent = await measureDecisions(limiter, 100_000, 100);
  await deleteKeys(redis, keyPrefix);
  await redis.quit();
  return [
    { name: 'redis store', value: sequential, unit: 'decisions/s', note: 'one request in flight' },
    { name: 'redis store', value: concurrent, unit: 'decisions/s', note: '100 requests in flight' },
  ];
}

async function benchMemoryPerKeys(): Promise<RateLimitBenchResult[]> {
  const gc = globalThis.gc;
  const name = 'memory store heap';
  if (!gc)
    return [
      { name, value: null, unit: 'bytes/100k keys', note: 'skipped: run node with --expose-gc' },
    ];

  const keyCount = 100_000;
  const store = createMemoryStore({ maxKeys: keyCount, sweepIntervalMs: 0 });
  const now = Date.now();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < keyCount; index += 1) store.consume(`key_${index}`, POLICY, 1, now);
  gc();
  const delta = process.memoryUsage().heapUsed - before;
  const note = `${Math.round(delta / keyCount)} bytes per key, key names "key_N" included`;
  store.close();
  return [{ name, value: delta, unit: 'bytes/100k keys', note }];
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Runs every measurement, prints a table and returns its rows. */
export async function run(): Promise<RateLimitBenchResult[]> {
  const results = [
    ...(await benchMemory()),
    ...(await benchRedis()),
    ...(await benchMemoryPerKeys()),
  ];
  console.table(results);
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
