import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, testEnv } from '../helpers/server-process.js';
import { client } from './client.js';

// Plants known secrets in configuration, headers and bodies, then reads everything the server
// process wrote: none of them may appear, whatever the log level.
describe('log redaction', () => {
  const env: Record<string, string> = { ...testEnv(), KEYWARD_LOG_LEVEL: 'trace' };
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let server: ServerProcess;
  const planted: string[] = [env.KEYWARD_JWT_SECRET!, env.KEYWARD_API_KEY_PEPPER!, password];

  beforeAll(async () => {
    server = await startServer({ env });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('writes no password, token, key or secret to the log', async () => {
    const call = client(server.url);
    const signup = await call('POST', '/v1/auth/signup', {
      body: { email: 'logs@example.com', password },
    });
    planted.push(signup.body.accessToken, signup.body.refreshToken);
    const bearer = { authorization: `Bearer ${signup.body.accessToken}` };
    await call('POST', '/v1/auth/login', { body: { email: 'logs@example.com', password } });
    await call('POST', '/v1/auth/login', {
      body: { email: 'logs@example.com', password: `${password}-wrong` },
    });
    planted.push(`${password}-wrong`);

    const key = await call('POST', '/v1/keys', { headers: bearer, body: { name: 'logged' } });
    planted.push(key.body.key);
    await call('GET', '/v1/me', { headers: { 'x-api-key': key.body.key } });
    await call('GET', '/v1/me', { headers: { authorization: `Bearer ${key.body.key}` } });
    await call('GET', '/v1/me', {
      headers: { authorization: `Bearer ${signup.body.accessToken}x` },
    });
    await call('POST', '/v1/auth/refresh', { body: { refreshToken: signup.body.refreshToken } });
    await call('POST', '/v1/auth/refresh', { body: { refreshToken: signup.body.refreshToken } });
    await call('POST', '/v1/auth/password', {
      headers: bearer,
      body: { currentPassword: password, newPassword: `${password}-new` },
    });
    planted.push(`${password}-new`);
    await call('POST', '/v1/keys/verify', { headers: bearer, body: { key: key.body.key } });
    // A validation failure must not echo the rejected body either.
    await call('POST', '/v1/auth/signup', {
      body: { email: 'bad', password, extra: key.body.key },
    });

    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = server.output.join('\n');
    expect(log.length).toBeGreaterThan(1000);
    for (const secret of planted) {
      expect(
        log.includes(secret),
        `a planted secret of length ${secret.length} reached the log`,
      ).toBe(false);
    }
  });
});
