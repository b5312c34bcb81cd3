import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, uniqueSchema, urlWithSchema } from '../distributed/support/postgres.js';
import {
  deleteKeys,
  redisSuitesRun,
  redisUrl,
  uniquePrefix,
} from '../distributed/support/redis.js';
import { postgresAvailable } from '../helpers/databases.js';
import { type Cluster, call, msUntilRejected, startCluster } from './cluster.js';

const password = 'correct horse battery staple';
const runs = (await postgresAvailable()) && (await redisSuitesRun('Multi-instance tests'));

describe.skipIf(!runs)('three instances on PostgreSQL and Redis', () => {
  const schema = uniqueSchema();
  const prefix = uniquePrefix();
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    cluster = await startCluster(3, {
      databaseUrl: urlWithSchema(schema),
      redisUrl: `${redisUrl}?keyPrefix=${encodeURIComponent(prefix)}`,
    });
    const signup = await call(cluster.next(), 'POST', '/v1/auth/signup', {
      body: { email: `owner-${prefix.slice(7, 19)}@example.com`, password },
    });
    expect(signup.status).toBe(201);
    token = signup.body.accessToken;
  }, 120_000);

  afterAll(async () => {
    const codes = await cluster?.stop();
    await dropSchema(schema);
    await deleteKeys(redisUrl, prefix);
    expect(codes).toEqual([0, 0, 0]);
  });

  async function createKey(
    body: Record<string, unknown> = {},
  ): Promise<{ id: string; key: string }> {
    const created = await call(cluster.next(), 'POST', '/v1/keys', {
      token,
      body: { name: 'test', ...body },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  it('admits at most the key limit across the instances', async () => {
    const limit = 10;
    const { key } = await createKey({ ratelimit: { limit, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let index = 0; index < 3 * limit; index++) {
      statuses.push((await call(cluster.next(), 'GET', '/v1/me', { apiKey: key })).status);
    }

    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * limit);
  });

  it('rejects a revoked key on every instance within a second', async () => {
    const delays: number[] = [];
    for (let round = 0; round < 6; round++) {
      const { id, key } = await createKey();
      // Every instance verifies the key once, so each has it in its cache.
      for (const server of cluster.servers) {
        expect((await call(server.url, 'GET', '/v1/me', { apiKey: key })).status).toBe(200);
      }
      const [revoker, ...others] = [
        ...cluster.servers.slice(round % 3),
        ...cluster.servers.slice(0, round % 3),
      ];
      const since = performance.now();
      const polls = others.map((server) => msUntilRejected(server.url, key, since));
      expect((await call(revoker!.url, 'DELETE', `/v1/keys/${id}`, { token })).status).toBe(204);
      delays.push(...(await Promise.all(polls)));
    }
    const worst = Math.max(...delays);
    console.log(
      `revocation delay over ${delays.length} checks: worst ${worst.toFixed(1)} ms (from sending DELETE)`,
    );

    expect(worst).toBeLessThan(1000);
  });

  it('revokes a refresh-token family on every instance', async () => {
    const [a, b, c] = cluster.servers.map((server) => server.url);
    const email = `family-${Date.now()}@example.com`;
    const first = await call(a!, 'POST', '/v1/auth/signup', { body: { email, password } });
    const rotated = await call(b!, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(rotated.status).toBe(200);
    // Reusing the spent token on a third instance revokes the whole family.
    const reused = await call(c!, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    const afterReuse = await call(a!, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: rotated.body.refreshToken },
    });

    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('invalid_refresh_token');
    expect(afterReuse.status).toBe(401);
  });

  it('logs out on one instance for all', async () => {
    const [a, b] = cluster.servers.map((server) => server.url);
    const email = `logout-${Date.now()}@example.com`;
    const session = await call(a!, 'POST', '/v1/auth/signup', { body: { email, password } });
    expect(
      (
        await call(b!, 'POST', '/v1/auth/logout', {
          body: { refreshToken: session.body.refreshToken },
        })
      ).status,
    ).toBe(204);

    const refreshed = await call(a!, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: session.body.refreshToken },
    });
    expect(refreshed.status).toBe(401);
  });

  it('logs in on one instance a user who signed up on another', async () => {
    const [a, b, c] = cluster.servers.map((server) => server.url);
    const email = `roaming-${Date.now()}@example.com`;
    const signup = await call(a!, 'POST', '/v1/auth/signup', { body: { email, password } });
    const login = await call(b!, 'POST', '/v1/auth/login', { body: { email, password } });
    const me = await call(c!, 'GET', '/v1/me', { token: login.body.accessToken });

    expect(signup.status).toBe(201);
    expect(login.status).toBe(200);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(signup.body.user.id);
  });

  it('shares login throttling across the instances', async () => {
    const email = `guessed-${Date.now()}@example.com`;
    await call(cluster.next(), 'POST', '/v1/auth/signup', { body: { email, password } });
    const statuses: number[] = [];
    // Five free failures per account, then the sixth is checked and locks; the seventh is refused.
    for (let index = 0; index < 7; index++) {
      const body = { email, password: `wrong password ${index}` };
      statuses.push((await call(cluster.next(), 'POST', '/v1/auth/login', { body })).status);
    }

    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('reports Redis and the database as ready', async () => {
    for (const server of cluster.servers) {
      const ready = await call(server.url, 'GET', '/readyz');

      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok' });
    }
  });
});
