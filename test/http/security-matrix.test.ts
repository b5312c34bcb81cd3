import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';
import { testEnv } from '../helpers/server-process.js';
import { issueTestToken, strangerSecret } from './tokens.js';

type Route = { method: InjectOptions['method']; url: string; payload?: object };

// Every protected route, with a body that passes its schema, so only authentication decides.
const protectedRoutes: Route[] = [
  { method: 'GET', url: '/v1/me' },
  { method: 'GET', url: '/v1/keys' },
  { method: 'POST', url: '/v1/keys', payload: { name: 'matrix' } },
  { method: 'GET', url: '/v1/keys/key_missing' },
  { method: 'POST', url: '/v1/keys/key_missing/rotate', payload: {} },
  { method: 'DELETE', url: '/v1/keys/key_missing' },
  { method: 'GET', url: '/v1/keys/key_missing/events' },
  { method: 'POST', url: '/v1/keys/verify', payload: { key: 'kw_live_nothing' } },
  { method: 'GET', url: '/v1/auth/sessions' },
  { method: 'DELETE', url: '/v1/auth/sessions/ses_missing' },
  {
    method: 'POST',
    url: '/v1/auth/password',
    payload: { currentPassword: 'x', newPassword: 'yyyyyyyy' },
  },
];

describe('security block of every protected route', () => {
  const env = testEnv();
  let test: TestApp;
  let user: Awaited<ReturnType<typeof signUp>>;
  let revokedKey: string;
  let config: TestApp['services']['config'];

  beforeAll(async () => {
    test = await buildTestApp(env);
    config = test.services.config;
    user = await signUp(test.app);
    const created = await test.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: { authorization: `Bearer ${user.accessToken}` },
      payload: { name: 'to revoke', scopes: ['keys:read'] },
    });
    revokedKey = created.json().key;
    await test.app.inject({
      method: 'DELETE',
      url: `/v1/keys/${created.json().id}`,
      headers: { authorization: `Bearer ${user.accessToken}` },
    });
  });
  afterAll(() => test.close());

  const send = (route: Route, headers: Record<string, string>) =>
    test.app.inject({
      method: route.method,
      url: route.url,
      headers,
      ...(route.payload ? { payload: route.payload } : {}),
    });

  for (const route of protectedRoutes) {
    describe(`${route.method} ${route.url}`, () => {
      it('answers 401 missing_credentials with a bare challenge', async () => {
        const response = await send(route, {});
        expect(response.json().code).toBe('missing_credentials');
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="keyward"');
        expect(response.headers['content-type']).toContain('application/problem+json');
      });

      it('answers 400 invalid_request for a malformed header', async () => {
        for (const authorization of [
          'Basic dXNlcjpwYXNz',
          'Bearer',
          'Bearer a b',
          'Bearer tok\u00e9n',
        ]) {
          const response = await send(route, { authorization });
          expect(response.json().code, authorization).toBe('invalid_request');
          expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
        }
      });

      it('answers 401 invalid_token for a forged token', async () => {
        const forged = issueTestToken({
          secret: strangerSecret(),
          sub: user.user.id,
          issuer: config.issuer,
          audience: config.audience,
        });
        const response = await send(route, { authorization: `Bearer ${forged}` });
        expect(response.json().code).toBe('invalid_token');
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
      });

      it('answers 401 invalid_token for an expired token', async () => {
        const expired = issueTestToken({
          secret: env.KEYWARD_JWT_SECRET!,
          sub: user.user.id,
          issuer: config.issuer,
          audience: config.audience,
          atMs: Date.now() - 3_600_000,
        });
        const response = await send(route, { authorization: `Bearer ${expired}` });
        expect(response.json().code).toBe('invalid_token');
      });

      it('answers 401 invalid_api_key for a revoked key', async () => {
        const response = await send(route, { 'x-api-key': revokedKey });
        expect(response.json().code).toBe('invalid_api_key');
        expect(response.statusCode).toBe(401);
      });

      it('answers 403 insufficient_scope without the scope', async () => {
        const scopeless = issueTestToken({
          secret: env.KEYWARD_JWT_SECRET!,
          sub: user.user.id,
          scope: '',
          issuer: config.issuer,
          audience: config.audience,
        });
        const response = await send(route, { authorization: `Bearer ${scopeless}` });
        if (route.url === '/v1/me' || route.url.startsWith('/v1/auth/')) {
          // Every signed-in user may see itself and manage its own sessions and password.
          expect(response.statusCode).not.toBe(403);
        } else {
          expect(response.json().code).toBe('insufficient_scope');
          expect(response.statusCode).toBe(403);
          expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
        }
      });
    });
  }
});
