import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresUrl } from '../helpers/databases.js';
import { type ServerProcess, testEnv } from '../helpers/server-process.js';
import { call, startServerProcess } from '../multi-instance/cluster.js';
import { waitFor } from './support/capture-logger.js';
import { dropSchema, uniqueSchema, urlWithSchema } from './support/postgres.js';
import { startTcpProxy, type TcpProxy } from './support/proxy.js';

const password = 'correct horse battery staple';

describe.skipIf(!(await postgresAvailable()))('a PostgreSQL outage', () => {
  const schema = uniqueSchema();
  let proxy: TcpProxy;
  let server: ServerProcess;
  let session: { accessToken: string; refreshToken: string };
  const email = `outage-${Date.now()}@example.com`;

  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(postgresUrl).port || 5432));
    const viaProxy = new URL(postgresUrl);
    viaProxy.port = String(proxy.port);
    server = await startServerProcess({
      ...testEnv(),
      KEYWARD_DATABASE_URL: urlWithSchema(schema, viaProxy.toString()),
      KEYWARD_AUTH_RATE_LIMIT: '100000/60s',
    });
    const signup = await call(server.url, 'POST', '/v1/auth/signup', { body: { email, password } });
    expect(signup.status).toBe(201);
    session = signup.body;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await dropSchema(schema);
  });

  it('returns 503 where the database is needed', async () => {
    await proxy.cut();
    const ready = await call(server.url, 'GET', '/readyz');
    const login = await call(server.url, 'POST', '/v1/auth/login', { body: { email, password } });
    const refresh = await call(server.url, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });

    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toBe('failed');
    expect(login.status).toBe(503);
    expect(login.headers.get('content-type')).toContain('application/problem+json');
    expect(login.body.code).toBe('service_unavailable');
    expect(login.headers.get('retry-after')).toBe('2');
    expect(refresh.status).toBe(503);
    expect(refresh.body.code).toBe('service_unavailable');
  });

  it('keeps serving what needs no database', async () => {
    const me = await call(server.url, 'GET', '/v1/me', { token: session.accessToken });
    const health = await call(server.url, 'GET', '/healthz');

    expect(me.status).toBe(200);
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('logs the loss of pooled connections once', () => {
    const warnings = server.output.filter((line) =>
      line.includes('"event":"database.unavailable"'),
    );

    expect(warnings).toHaveLength(1);
  });

  it('recovers without a restart', async () => {
    await proxy.restore();
    await waitFor(async () => (await call(server.url, 'GET', '/readyz')).status === 200, 15_000);
    const login = await call(server.url, 'POST', '/v1/auth/login', { body: { email, password } });

    expect(login.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
