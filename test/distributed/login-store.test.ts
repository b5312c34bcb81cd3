import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFallbackLoginStore } from '../../src/distributed/fallback-login-store.js';
import { createOutageLog } from '../../src/distributed/outage-log.js';
import type { LoginAttemptStore } from '../../src/users/login-guard.js';
import { createMemoryLoginStore } from '../../src/users/memory-login-store.js';
import { createRedisLoginStore } from '../../src/users/redis-login-store.js';
import { runLoginStoreContract } from './support/login-store-contract.js';
import { deleteKeys, redisSuitesRun, redisUrl, uniquePrefix } from './support/redis.js';

const rule = { freeFailures: 1, baseLockMs: 1000, maxLockMs: 1000, forgetAfterMs: 60_000 };

describe('memory login store', () => {
  runLoginStoreContract(() => createMemoryLoginStore());
});

describe.skipIf(!(await redisSuitesRun('Redis login store tests')))('redis login store', () => {
  const keyPrefix = uniquePrefix();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await deleteKeys(redisUrl, keyPrefix);
    redis.disconnect();
  });

  runLoginStoreContract(() => createRedisLoginStore({ redis, keyPrefix }));

  it('stores hashed keys with an expiry', async () => {
    const store = createRedisLoginStore({ redis, keyPrefix });
    await store.register('account:someone@example.com', rule, Date.now());
    const [key] = await redis.keys(`${keyPrefix}*`);

    expect(key).toBeDefined();
    expect(key).not.toContain('someone');
    expect(await redis.pttl(key!)).toBeGreaterThan(rule.forgetAfterMs);
  });
});

describe('fallback login store', () => {
  const failing: LoginAttemptStore = {
    register: () => Promise.reject(new Error('Connection is closed.')),
    reset: () => Promise.reject(new Error('Connection is closed.')),
    forgiveOne: () => Promise.reject(new Error('Connection is closed.')),
  };

  function setup(primary: LoginAttemptStore) {
    const lines: { level: string; obj: object }[] = [];
    const logger = {
      warn: (obj: object) => lines.push({ level: 'warn', obj }),
      info: (obj: object) => lines.push({ level: 'info', obj }),
    };
    const outage = createOutageLog(logger, { service: 'login attempt store' });
    const store = createFallbackLoginStore({ primary, fallback: createMemoryLoginStore(), outage });
    return { store, lines };
  }

  it('throttles in memory while the shared store fails', async () => {
    const { store } = setup(failing);
    const outcomes = [];
    for (let index = 0; index < 3; index++) outcomes.push(await store.register('k', rule, 0));

    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, true, false]);
  });

  it('logs one warning per outage', async () => {
    const { store, lines } = setup(failing);
    for (let index = 0; index < 5; index++) await store.register('k', rule, 0);
    await store.reset('k');

    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
  });

  it('logs the recovery once the shared store works', async () => {
    let down = true;
    const memory = createMemoryLoginStore();
    const flaky: LoginAttemptStore = {
      register: (key, backoff, now) =>
        down ? failing.register(key, backoff, now) : memory.register(key, backoff, now),
      reset: (key) => memory.reset(key),
      forgiveOne: (key) => memory.forgiveOne(key),
    };
    const { store, lines } = setup(flaky);
    await store.register('k', rule, 0);
    down = false;
    await store.register('k', rule, 0);

    expect(lines.map((line) => line.level)).toEqual(['warn', 'info']);
  });
});
