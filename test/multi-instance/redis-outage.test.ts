import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../distributed/support/capture-logger.js';
import { dropSchema, uniqueSchema, urlWithSchema } from '../distributed/support/postgres.js';
import {
  type RedisServer,
  redisServerInstalled,
  startRedisServer,
} from '../distributed/support/redis.js';
import { postgresAvailable } from '../helpers/databases.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { type Cluster, call, msUntilRejected, startCluster } from './cluster.js';

const password = 'correct horse battery staple';
const runs =
  (await postgresAvailable()) && redisServerInstalled('Multi-instance Redis outage tests');

/** Log lines of a server with the given `event` field. */
function events(server: ServerProcess, event: string): string[] {
  return server.output.filter((line) => line.includes(`"event":"${event}"`));
}

describe.skipIf(!runs)('two instances through a Redis outage', () => {
  const schema = uniqueSchema();
  let redis: RedisServer;
  let allowing: Cluster;
  let denying: Cluster;
  let token: string;
  const email = `redis-outage-${Date.now()}@example.com`;

  beforeAll(async () => {
    redis = await startRedisServer();
    const shared = { databaseUrl: urlWithSchema(schema), redisUrl: redis.url };
    // The same secrets on both, so that each accepts the other's tokens and keys.
    const secrets = {
      KEYWARD_JWT_SECRET: randomBytes(32).toString('base64url'),
      KEYWARD_API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    };
    allowing = await startCluster(1, shared, {
      ...secrets,
      KEYWARD_RATE_LIMIT_ON_STORE_ERROR: 'allow',
    });
    denying = await startCluster(1, shared, {
      ...secrets,
      KEYWARD_RATE_LIMIT_ON_STORE_ERROR: 'deny',
    });
    const signup = await call(allowing.servers[0]!.url, 'POST', '/v1/auth/signup', {
      body: { email, password },
    });
    token = signup.body.accessToken;
  }, 120_000);

  afterAll(async () => {
    const codes = [...((await allowing?.stop()) ?? []), ...((await denying?.stop()) ?? [])];
    await redis?.kill();
    await dropSchema(schema);
    expect(codes).toEqual([0, 0]);
  });

  const urls = () => [allowing.servers[0]!.url, denying.servers[0]!.url] as const;

  async function createKey(limit: number): Promise<{ id: string; key: string }> {
    const body = { name: 'outage', ratelimit: { limit, windowMs: 60_000 } };
    const created = await call(urls()[0], 'POST', '/v1/keys', { token, body });
    expect(created.status).toBe(201);
    return created.body;
  }

  it('reports Redis as failed on readiness', async () => {
    await redis.kill();
    for (const url of urls()) {
      const ready = await call(url, 'GET', '/readyz');

      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ database: 'ok', redis: 'failed' });
    }
  });

  it('follows KEYWARD_RATE_LIMIT_ON_STORE_ERROR', async () => {
    const { key } = await createKey(3);
    const [allowUrl, denyUrl] = urls();
    const allowed: number[] = [];
    const denied: number[] = [];
    for (let index = 0; index < 6; index++) {
      allowed.push((await call(allowUrl, 'GET', '/v1/me', { apiKey: key })).status);
      denied.push((await call(denyUrl, 'GET', '/v1/me', { apiKey: key })).status);
    }

    expect(allowed).toEqual(Array(6).fill(200));
    expect(denied).toEqual(Array(6).fill(429));
  });

  it('keeps logins working and throttled on the allow instance', async () => {
    const [allowUrl] = urls();
    const login = await call(allowUrl, 'POST', '/v1/auth/login', { body: { email, password } });
    const guessed = `guessed-${Date.now()}@example.com`;
    await call(allowUrl, 'POST', '/v1/auth/signup', { body: { email: guessed, password } });
    const statuses: number[] = [];
    for (let index = 0; index < 7; index++) {
      const body = { email: guessed, password: `wrong password ${index}` };
      statuses.push((await call(allowUrl, 'POST', '/v1/auth/login', { body })).status);
    }

    expect(login.status).toBe(200);
    // The memory fallback keeps the per-account back-off: the seventh attempt is refused.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('answers 429 on auth routes of the deny instance', async () => {
    const login = await call(urls()[1], 'POST', '/v1/auth/login', { body: { email, password } });

    expect(login.status).toBe(429);
  });

  it('rejects a key revoked during the outage within the short cache lifetime', async () => {
    const { id, key } = await createKey(500);
    const [revoker, other] = urls();
    expect((await call(other, 'GET', '/v1/me', { apiKey: key })).status).toBe(429);
    const since = performance.now();
    expect((await call(revoker, 'DELETE', `/v1/keys/${id}`, { token })).status).toBe(204);
    const delay = await pollThroughDenials(other, key, since);
    console.log(`revocation delay during the Redis outage: ${delay.toFixed(0)} ms`);

    expect(delay).toBeLessThan(1500);
  });

  it('logs the outage once per instance', () => {
    for (const server of [...allowing.servers, ...denying.servers]) {
      expect(events(server, 'redis.unavailable')).toHaveLength(1);
      expect(events(server, 'ratelimit_store_failed')).toHaveLength(1);
    }
  });

  it('recovers by itself when Redis returns', async () => {
    await redis.restart();
    for (const url of urls()) {
      await waitFor(async () => (await call(url, 'GET', '/readyz')).status === 200, 15_000);
    }
    const { id, key } = await createKey(500);
    const [revoker, other] = urls();
    // The deny instance admits requests again: its limiter reaches Redis.
    await waitFor(
      async () => (await call(other, 'GET', '/v1/me', { apiKey: key })).status === 200,
      5000,
    );
    const since = performance.now();
    expect((await call(revoker, 'DELETE', `/v1/keys/${id}`, { token })).status).toBe(204);

    expect(await msUntilRejected(other, key, since)).toBeLessThan(1000);
    for (const server of [...allowing.servers, ...denying.servers]) {
      expect(events(server, 'redis.recovered')).toHaveLength(1);
    }
  });
});

/** Like msUntilRejected, but a 429 of the deny instance counts as "still accepted". */
async function pollThroughDenials(url: string, apiKey: string, since: number): Promise<number> {
  while (performance.now() - since < 5000) {
    const { status } = await call(url, 'GET', '/v1/me', { apiKey });
    if (status === 401) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('key still accepted after 5 s');
}
