import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createKey, signUp, type TestApp } from '../helpers/app.js';

describe('auth routes', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    test.app.inject({ method: 'POST', url, payload: payload as object, headers });

  describe('sign-up', () => {
    it('answers 201 with a session', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'New@Example.com',
        password: 'correct horse battery staple',
      });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body.user).toEqual({ id: expect.stringMatching(/^usr_/), email: 'new@example.com' });
      expect(body.tokenType).toBe('Bearer');
      expect(body.expiresIn).toBe(900);
      expect(body.accessToken.split('.')).toHaveLength(3);
      expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Object.keys(body).sort()).toEqual([
        'accessToken',
        'expiresIn',
        'refreshToken',
        'tokenType',
        'user',
      ]);
    });

    it('answers 409 email_taken for an existing email', async () => {
      const { email } = await signUp(test.app);
      const response = await post('/v1/auth/signup', {
        email: email.toUpperCase(),
        password: 'another password',
      });
      expect(response.json().code).toBe('email_taken');
      expect(response.json().detail).toMatch(/Log in with this email/);
      expect(response.statusCode).toBe(409);
    });

    it('says when the list of problems is cut short', async () => {
      const extra = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`field${i}`, i]));
      const response = await post('/v1/auth/signup', { email: 'cut@example.com', ...extra });

      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toBe(
        'The body does not match the schema. The check stopped after 20 errors, so there may be more.',
      );
    });

    it('answers 400 validation_failed with a pointer for a bad email', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'not-an-email',
        password: 'correct horse battery staple',
      });
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors[0].pointer).toBe('/email');
    });

    it('answers 400 for a short password', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'short@example.com',
        password: 'short',
      });
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors[0].pointer).toBe('/password');
    });

    it('rejects an unknown field once, by name', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'extra@example.com',
        password: 'correct horse battery staple',
        admin: true,
      });
      expect(response.json().code).toBe('validation_failed');
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        {
          pointer: '/admin',
          message: 'is not a field of this request. Remove it, or check its spelling.',
        },
      ]);
    });

    it('rejects a password sent as a number', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'number@example.com',
        password: 12345678,
      });
      expect(response.json().code).toBe('validation_failed');
    });

    it('answers 400 for invalid JSON and 415 for another media type', async () => {
      const invalid = await test.app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expect(invalid.json().code).toBe('validation_failed');
      const text = await test.app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: 'email=a',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.json().code).toBe('unsupported_media_type');
      expect(text.statusCode).toBe(415);
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const response = await post('/v1/auth/signup', {
        email: 'big@example.com',
        password: 'x'.repeat(1_100_000),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().code).toBe('payload_too_large');
    });
  });

  describe('login', () => {
    it('answers 200 with a session', async () => {
      const { email, password } = await signUp(test.app);
      const response = await post('/v1/auth/login', { email, password });
      expect(response.statusCode).toBe(200);
      expect(response.json().user.email).toBe(email);
    });

    it('answers the same 401 for a wrong password and an unknown email', async () => {
      const { email } = await signUp(test.app);
      const wrong = await post('/v1/auth/login', { email, password: 'wrong password' });
      const unknown = await post('/v1/auth/login', {
        email: 'nobody@example.com',
        password: 'wrong password',
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('invalid_credentials');
      expect(unknown.body).toBe(
        wrong.body.replace(/"instance":"[^"]*"/, '"instance":"/v1/auth/login"'),
      );
      expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
    });
  });

  describe('refresh and logout', () => {
    it('rotates the refresh token and rejects the spent one', async () => {
      const session = await signUp(test.app);
      const refreshed = await post('/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(refreshed.statusCode).toBe(200);
      expect(refreshed.json().refreshToken).not.toBe(session.refreshToken);

      const reused = await post('/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(reused.json().code).toBe('invalid_refresh_token');
      // Reuse revoked the family, so the newest token is dead too.
      const newest = await post('/v1/auth/refresh', {
        refreshToken: refreshed.json().refreshToken,
      });
      expect(newest.json().code).toBe('invalid_refresh_token');
      expect(newest.json().detail).toMatch(/Log in again/);
    });

    it('answers 204 at logout and revokes the family', async () => {
      const session = await signUp(test.app);
      const logout = await post('/v1/auth/logout', { refreshToken: session.refreshToken });
      expect(logout.statusCode).toBe(204);
      const refreshed = await post('/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(refreshed.statusCode).toBe(401);
    });

    it('answers 204 at logout with an unknown token', async () => {
      const logout = await post('/v1/auth/logout', { refreshToken: 'x'.repeat(43) });
      expect(logout.statusCode).toBe(204);
    });
  });

  describe('password and sessions', () => {
    it('revokes every session when the password changes', async () => {
      const session = await signUp(test.app);
      const other = await post('/v1/auth/login', {
        email: session.email,
        password: session.password,
      });
      const change = await post(
        '/v1/auth/password',
        { currentPassword: session.password, newPassword: 'a brand new passphrase' },
        { authorization: `Bearer ${session.accessToken}` },
      );
      expect(change.statusCode).toBe(204);
      for (const refreshToken of [session.refreshToken, other.json().refreshToken]) {
        expect((await post('/v1/auth/refresh', { refreshToken })).statusCode).toBe(401);
      }
      expect(
        (await post('/v1/auth/login', { email: session.email, password: 'a brand new passphrase' }))
          .statusCode,
      ).toBe(200);
    });

    it('lists sessions and revokes one', async () => {
      const session = await signUp(test.app);
      const auth = { authorization: `Bearer ${session.accessToken}` };
      const list = await test.app.inject({
        method: 'GET',
        url: '/v1/auth/sessions',
        headers: auth,
      });
      expect(list.statusCode).toBe(200);
      const [first] = list.json().sessions;
      expect(first.id).toMatch(/^ses_/);
      expect(first.revokedAt).toBeNull();

      const revoke = await test.app.inject({
        method: 'DELETE',
        url: `/v1/auth/sessions/${first.id}`,
        headers: auth,
      });
      expect(revoke.statusCode).toBe(204);
      expect(
        (await post('/v1/auth/refresh', { refreshToken: session.refreshToken })).statusCode,
      ).toBe(401);
    });

    it('stops the access token of a revoked session at once', async () => {
      const session = await signUp(test.app);
      const other = await post('/v1/auth/login', {
        email: session.email,
        password: session.password,
      });
      const me = (token: string) =>
        test.app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${token}` },
        });
      expect((await me(session.accessToken)).statusCode).toBe(200);

      await post('/v1/auth/logout', { refreshToken: session.refreshToken });
      const revoked = await me(session.accessToken);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().code).toBe('invalid_token');
      // The user's other session is untouched.
      expect((await me(other.json().accessToken)).statusCode).toBe(200);
    });

    it("answers 404 for another user's session", async () => {
      const mine = await signUp(test.app);
      const theirs = await signUp(test.app);
      const list = await test.app.inject({
        method: 'GET',
        url: '/v1/auth/sessions',
        headers: { authorization: `Bearer ${theirs.accessToken}` },
      });
      const response = await test.app.inject({
        method: 'DELETE',
        url: `/v1/auth/sessions/${list.json().sessions[0].id}`,
        headers: { authorization: `Bearer ${mine.accessToken}` },
      });
      expect(response.json().code).toBe('not_found');
    });
  });

  describe('who am I', () => {
    it('returns the user principal for an access token', async () => {
      const session = await signUp(test.app);
      const response = await test.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      expect(response.json()).toEqual({
        type: 'user',
        id: session.user.id,
        userId: session.user.id,
        scopes: ['keys:read', 'keys:write'],
      });
    });

    it('answers 429 with the rate-limit headers once a key is over its limit', async () => {
      const session = await signUp(test.app);
      const key = await createKey(test.app, session.accessToken, {
        name: 'limited',
        ratelimit: { limit: 2, windowMs: 60_000 },
      });
      const me = () =>
        test.app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { 'x-api-key': key },
        });

      const first = await me();
      const second = await me();
      const limited = await me();

      expect(first.statusCode).toBe(200);
      expect(first.headers.ratelimit).toBe('"api-key";r=1;t=30');
      expect(first.headers['ratelimit-policy']).toBeUndefined();
      expect(second.headers.ratelimit).toBe('"api-key";r=0;t=60');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('rate_limited');
      expect(limited.json().detail).toMatch(/Retry-After/);
      expect(limited.headers['retry-after']).toBe('30');
      expect(limited.headers['ratelimit-policy']).toBe('"api-key";q=2;w=60');
      expect(limited.headers.ratelimit).toBe('"api-key";r=0;t=30');
    });

    it('answers 400 when both Authorization and X-API-Key are sent', async () => {
      const session = await signUp(test.app);
      const me = (headers: Record<string, string>) =>
        test.app.inject({ method: 'GET', url: '/v1/me', headers });
      // The first request puts the token in the verified-token cache, which must not let the
      // second request skip the check.
      expect((await me({ authorization: `Bearer ${session.accessToken}` })).statusCode).toBe(200);
      const response = await me({
        authorization: `Bearer ${session.accessToken}`,
        'x-api-key': 'kw_live_x',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_request');
    });

    it('accepts a cached token in every spelling', async () => {
      const session = await signUp(test.app);
      const me = (authorization: string) =>
        test.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
      const token = session.accessToken;
      expect((await me(`Bearer ${token}`)).statusCode).toBe(200);

      for (const spelling of [`bearer ${token}`, `BEARER  ${token}`, `Bearer ${token}  `]) {
        expect((await me(spelling)).json().id).toBe(session.user.id);
      }
      const response = await me(`Bearer ${token.slice(0, -1)}`);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_token');
      expect((await me(`Bearer ${token}x`)).statusCode).toBe(401);
    });
  });

  describe('operation', () => {
    it('answers health, readiness, JWKS and metrics', async () => {
      expect((await test.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await test.app.inject('/readyz')).statusCode).toBe(200);
      const jwks = await test.app.inject('/.well-known/jwks.json');
      expect(jwks.json()).toEqual({ keys: [] });
      expect(jwks.headers['cache-control']).toContain('max-age=');
      const metrics = await test.app.inject('/metrics');
      expect(metrics.body).toContain('keyward_http_requests_total');
      expect(metrics.body).not.toMatch(/(usr|ses|key)_[A-Za-z0-9_-]{22}/);
    });

    it('answers 404 problem+json for an unknown route', async () => {
      const response = await test.app.inject('/nope');
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('not_found');
    });
  });
});
