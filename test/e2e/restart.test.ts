import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, tempDataDir } from '../helpers/server-process.js';
import { client } from './client.js';

// Users, keys and access tokens issued before a restart still work after it, with secrets that
// the server generated itself on first start.
describe('restart', () => {
  const dataDir = tempDataDir();
  const env = {
    KEYWARD_DATABASE_URL: `sqlite:${join(dataDir, 'keyward.db')}`,
    NODE_ENV: 'development',
  };
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps users, keys, access and refresh tokens across a restart', async () => {
    server = await startServer({ env });
    let call = client(server.url);
    const signup = await call('POST', '/v1/auth/signup', {
      body: { email: 'restart@example.com', password: 'correct horse battery staple' },
    });
    const bearer = { authorization: `Bearer ${signup.body.accessToken}` };
    const key = await call('POST', '/v1/keys', { headers: bearer, body: { name: 'survivor' } });
    expect(await server.stop()).toBe(0);

    server = await startServer({ env });
    call = client(server.url);
    expect((await call('GET', '/v1/me', { headers: bearer })).status).toBe(200);
    expect((await call('GET', '/v1/me', { headers: { 'x-api-key': key.body.key } })).status).toBe(
      200,
    );
    const login = await call('POST', '/v1/auth/login', {
      body: { email: 'restart@example.com', password: 'correct horse battery staple' },
    });
    expect(login.status).toBe(200);
    const refreshed = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: signup.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
  }, 120_000);
});
