import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broadcast, createBroadcast } from '../../src/distributed/broadcast.js';
import { openRedis, type RedisConnections } from '../../src/distributed/redis-client.js';
import { captureLogger, waitFor } from './support/capture-logger.js';
import { redisSuitesRun, redisUrl, uniquePrefix } from './support/redis.js';

describe.skipIf(!(await redisSuitesRun('Redis broadcast tests')))('redis broadcast', () => {
  const namespace = uniquePrefix();
  const opened: { redis: RedisConnections; broadcast: Broadcast }[] = [];

  async function open(prefix = namespace, onSessions?: (ids: string[]) => void) {
    const redis = openRedis(
      `${redisUrl}?keyPrefix=${encodeURIComponent(prefix)}`,
      captureLogger().logger,
    );
    const dropped: string[] = [];
    const broadcast = createBroadcast({
      publisher: redis.commands,
      subscriber: redis.subscriber,
      namespace: redis.namespace,
      retentionMs: 60_000,
      onDropped: (reason) => dropped.push(reason),
    });
    if (onSessions) broadcast.on('sessions', onSessions);
    opened.push({ redis, broadcast });
    await waitFor(() => broadcast.connected);
    return { redis, broadcast, dropped };
  }

  afterAll(async () => {
    for (const { redis, broadcast } of opened) {
      broadcast.close();
      await redis.close(1000);
    }
  });

  let a: Awaited<ReturnType<typeof open>>;
  let b: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    a = await open();
    b = await open();
  });

  it('takes its namespace from the keyPrefix of the URL', () => {
    expect(a.redis.namespace).toBe(namespace);
  });

  it('delivers ids to the other instance and not back to the sender', async () => {
    const atA: string[] = [];
    const atB: string[] = [];
    a.broadcast.on('api-keys', (ids) => atA.push(...ids));
    b.broadcast.on('api-keys', (ids) => atB.push(...ids));
    a.broadcast.publish('api-keys', ['key_one', 'key_two']);
    await waitFor(() => atB.length === 2);
    // B publishes after A, so A would have had its own message by the time B's arrives,
    // had it not ignored it.
    b.broadcast.publish('api-keys', ['key_three']);
    await waitFor(() => atA.length === 1);

    expect(atB).toEqual(['key_one', 'key_two']);
    expect(atA).toEqual(['key_three']);
  });

  it('keeps topics apart', async () => {
    const sessions: string[] = [];
    b.broadcast.on('sessions', (ids) => sessions.push(...ids));
    a.broadcast.publish('sessions', ['ses_one']);
    await waitFor(() => sessions.length === 1);

    expect(sessions).toEqual(['ses_one']);
  });

  it('keeps namespaces apart', async () => {
    const other = await open(uniquePrefix());
    const heard: string[] = [];
    other.broadcast.on('api-keys', (ids) => heard.push(...ids));
    const atB: string[] = [];
    b.broadcast.on('api-keys', (ids) => atB.push(...ids));
    a.broadcast.publish('api-keys', ['key_four']);
    await waitFor(() => atB.length === 1);

    expect(heard).toEqual([]);
  });

  it('drops a malformed message', async () => {
    const channel = `${namespace}keyward:invalidate:api-keys`;
    await a.redis.commands.publish(channel, '1-0 {"ids":"x"}');
    await a.redis.commands.publish(channel, 'no-stream-id {"origin":"o","ids":["key_a"]}');
    await waitFor(() => b.dropped.length === 2);

    expect(b.dropped).toEqual(['malformed', 'malformed']);
  });

  it('gives a new instance the messages of the retention period', async () => {
    a.broadcast.publish('sessions', ['ses_before_start']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const heard: string[] = [];
    await open(namespace, (ids) => heard.push(...ids));

    expect(heard).toEqual(['ses_one', 'ses_before_start']);
  });

  it('stores messages in a stream that expires', async () => {
    const ttl = await a.redis.commands.pttl('keyward:invalidations:sessions');

    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
