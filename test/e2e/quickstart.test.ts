import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, tempDataDir } from '../helpers/server-process.js';
import { client } from './client.js';

// Walks the README quick start over real HTTP against `npm start`, as a new user would: no
// secrets configured, so the server generates its development secrets beside the database.
describe('README quick start', () => {
  const dataDir = tempDataDir();
  const databaseUrl = `sqlite:${join(dataDir, 'keyward.db')}`;
  let server: ServerProcess;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer({
      command: ['npm', 'start', '--silent'],
      env: {
        KEYWARD_DATABASE_URL: databaseUrl,
        NODE_ENV: 'development',
        KEYWARD_LOG_LEVEL: 'info',
      },
    });
    call = client(server.url);
  }, 90_000);
  afterAll(async () => {
    await server.stop();
  });

  it('warns that development secrets were generated', () => {
    const warning = server.output.find((line) => line.includes('KEYWARD_JWT_SECRET'));
    expect(warning).toContain('set KEYWARD_JWT_SECRET before production');
  });

  it('signs up, calls /v1/me, creates, uses and revokes an API key', async () => {
    const signup = await call('POST', '/v1/auth/signup', {
      body: { email: 'ada@example.com', password: 'correct horse battery staple' },
    });
    expect(signup.status).toBe(201);
    const bearer = { authorization: `Bearer ${signup.body.accessToken}` };

    const me = await call('GET', '/v1/me', { headers: bearer });
    expect(me.body).toMatchObject({ type: 'user', id: signup.body.user.id });

    const created = await call('POST', '/v1/keys', {
      headers: bearer,
      body: { name: 'ci', scopes: ['keys:read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^kw_live_/);

    const asKey = await call('GET', '/v1/me', { headers: { 'x-api-key': created.body.key } });
    expect(asKey.body).toEqual({
      type: 'api_key',
      id: created.body.id,
      userId: signup.body.user.id,
      scopes: ['keys:read'],
    });
    expect(asKey.headers.get('ratelimit')).toMatch(/r=\d+/);

    const revoked = await call('DELETE', `/v1/keys/${created.body.id}`, { headers: bearer });
    expect(revoked.status).toBe(204);
    const after = await call('GET', '/v1/me', { headers: { 'x-api-key': created.body.key } });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('invalid_api_key');
  });

  it('makes a service key with the CLI that the server accepts for verification', async () => {
    const output = execFileSync(
      'npx',
      ['keyward', 'keys', 'create', '--name', 'billing', '--scopes', 'keys:verify', '--json'],
      {
        env: { ...process.env, KEYWARD_DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
        encoding: 'utf8',
      },
    );
    const serviceKey = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(serviceKey.id).toMatch(/^key_/);

    const verdict = await call('POST', '/v1/keys/verify', {
      headers: { 'x-api-key': serviceKey.key },
      body: { key: 'kw_live_not_a_key' },
    });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ valid: false, code: 'NOT_FOUND' });
  });
  it('stops the server gracefully when npm start gets SIGTERM', async () => {
    // Only npm is signalled, as a process manager would do; the server must still stop.
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(server.output.some((line) => line.includes('server stopped'))).toBe(true);
    const health = await fetch(`${server.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(health).toBe('refused');
  });
});
