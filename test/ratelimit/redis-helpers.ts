import { Redis, type RedisOptions } from 'ioredis';

/** The shared Redis server of the test machine; tests reach it on loopback only. */
export const REDIS_OPTIONS: RedisOptions = { host: '127.0.0.1', port: 6379 };

/** Tells whether Redis replies to PING within a second. */
export async function isRedisReachable(): Promise<boolean> {
  const probe = new Redis({
    ...REDIS_OPTIONS,
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under `prefix`, by SCAN so that a large database is not blocked. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
