import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createRateLimiter,
  createRedisStore,
  type RateLimitStore,
} from '../../src/ratelimit/index.js';
import { EPOCH_MS } from './simulate.js';

const policy = { limit: 2, windowMs: 1000 };

/** Collects log calls as [level, fields, message]. */
function recordingLogger() {
  const lines: [string, Record<string, unknown>, string][] = [];
  return {
    lines,
    warn: (fields: object, message: string) => lines.push(['warn', { ...fields }, message]),
    info: (fields: object, message: string) => lines.push(['info', { ...fields }, message]),
  };
}

/** Returns a loopback port that was just closed, so connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe('createRateLimiter', () => {
  it('returns the store decision with the policy', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const limiter = createRateLimiter({ store, now: () => EPOCH_MS });
    const first = await limiter.limit('key', policy);
    await limiter.limit('key', policy);
    const third = await limiter.limit('key', policy);

    expect(first).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      resetAt: EPOCH_MS + 500,
      resetAfterMs: 500,
      retryAfterMs: 0,
      policy,
      degraded: false,
    });
    expect(third.allowed).toBe(false);
    expect(third.retryAfterMs).toBe(500);
  });

  it('rejects an invalid policy or cost', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore({ sweepIntervalMs: 0 }) });
    const invalid = [
      limiter.limit('key', { limit: 0, windowMs: 1000 }),
      limiter.limit('key', { limit: 1.5, windowMs: 1000 }),
      limiter.limit('key', { limit: 2, windowMs: 1000, burst: 0 }),
      limiter.limit('key', { limit: 2_000_000, windowMs: 1 }),
      limiter.limit('key', policy, -1),
      limiter.limit('key', policy, 0.5),
    ];

    for (const result of invalid) {
      await expect(result).rejects.toMatchObject({ code: 'validation_failed' });
    }
  });

  it('decides without a promise over the memory store', () => {
    const limiter = createRateLimiter({ store: createMemoryStore({ sweepIntervalMs: 0 }) });

    const decision = limiter.limit('key', policy);
    const invalid = limiter.limit('key', policy, -1);

    expect(decision).not.toBeInstanceOf(Promise);
    expect(decision).toMatchObject({ allowed: true, remaining: 1 });
    // An invalid cost still arrives as a rejection, never as a synchronous throw.
    expect(invalid).toBeInstanceOf(Promise);
    return expect(invalid).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rejects an unknown onStoreError', () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const options = { store, onStoreError: 'ignore' as 'allow' };

    expect(() => createRateLimiter(options)).toThrow(RangeError);
  });
});

describe('createRateLimiter during a store outage', () => {
  it('follows onStoreError and warns once when Redis is down', async () => {
    const redis = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 200,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    const store = createRedisStore({ redis, keyPrefix: 'keyward:test:outage:' });
    const logger = recordingLogger();
    const allowing = createRateLimiter({ store, logger, now: () => EPOCH_MS });
    const denying = createRateLimiter({ store, onStoreError: 'deny', now: () => EPOCH_MS });

    const allowed = [];
    for (let index = 0; index < 10; index += 1) allowed.push(await allowing.limit('key', policy));
    const denied = await denying.limit('key', policy);
    redis.disconnect();

    expect(allowed.every((decision) => decision.allowed && decision.degraded)).toBe(true);
    expect(denied).toMatchObject({ allowed: false, degraded: true, retryAfterMs: 1000 });
    expect(logger.lines).toHaveLength(1);
    const [level, fields, message] = logger.lines[0]!;
    expect(level).toBe('warn');
    expect(message).toBe('rate limit store failed');
    expect(fields).toMatchObject({ event: 'ratelimit_store_failed', onStoreError: 'allow' });
    expect((fields.err as { message: string }).message).not.toBe('');
  });

  it('logs recovery once with the outage length', async () => {
    let failing = true;
    let clock = EPOCH_MS;
    const memory = createMemoryStore({ sweepIntervalMs: 0 });
    const store: RateLimitStore = {
      consume: (key, limitPolicy, cost, now) => {
        if (failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        return memory.consume(key, limitPolicy, cost, now);
      },
      refund: () => {},
    };
    const logger = recordingLogger();
    const limiter = createRateLimiter({ store, logger, now: () => clock });

    await limiter.limit('key', policy);
    clock += 5_000;
    await limiter.limit('key', policy);
    failing = false;
    const recovered = await limiter.limit('key', policy);
    await limiter.limit('key', policy);

    expect(recovered.degraded).toBe(false);
    expect(logger.lines.map(([level]) => level)).toEqual(['warn', 'info']);
    expect(logger.lines[1]![1]).toEqual({
      event: 'ratelimit_store_recovered',
      downtimeMs: 5_000,
      failedDecisions: 2,
    });
  });

  it('handles a store that throws synchronously', async () => {
    const store: RateLimitStore = {
      consume: () => {
        throw new TypeError('broken store');
      },
      refund: () => {},
    };
    const limiter = createRateLimiter({ store, onStoreError: 'deny', now: () => EPOCH_MS });
    const decision = await limiter.limit('key', policy);

    expect(decision).toMatchObject({ allowed: false, degraded: true, remaining: 0 });
    expect(decision.resetAt).toBe(EPOCH_MS + 1000);
  });

  it('denies a cost above the burst even when allowing', async () => {
    const store: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      refund: () => {},
    };
    const limiter = createRateLimiter({ store, now: () => EPOCH_MS });
    const decision = await limiter.limit('key', policy, 3);

    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives back a spent request on refund', async () => {
    const logger = recordingLogger();
    const limiter = createRateLimiter({
      store: createMemoryStore({ sweepIntervalMs: 0 }),
      logger,
      now: () => EPOCH_MS,
    });
    await limiter.limit('key', policy);
    await limiter.limit('key', policy);

    const returned = limiter.refund('key', policy);

    expect(returned).toBeUndefined();
    expect((await limiter.limit('key', policy)).allowed).toBe(true);
    expect((await limiter.limit('key', policy)).allowed).toBe(false);
    expect(logger.lines).toEqual([]);
  });

  it('logs a failed refund once and never rejects', async () => {
    const store: RateLimitStore = {
      consume: () => Promise.reject(new Error('down')),
      refund: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    };
    const logger = recordingLogger();
    const limiter = createRateLimiter({ store, logger, now: () => EPOCH_MS });

    await limiter.refund('key', policy);
    await limiter.refund('key', policy);

    expect(logger.lines.map(([, , message]) => message)).toEqual(['rate limit store failed']);
  });

  it('rejects a refund with an invalid cost', async () => {
    const limiter = createRateLimiter({ store: createMemoryStore({ sweepIntervalMs: 0 }) });

    await expect(limiter.refund('key', policy, -1)).rejects.toThrow();
  });
});
