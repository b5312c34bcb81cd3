import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/tokens/index.js';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

// Another service verifies keyward's tokens knowing only the JWKS URL, as DESIGN promises.
for (const alg of ['EdDSA', 'ES256'] as const) {
  describe(`tokens signed with ${alg}`, () => {
    let test: TestApp;
    let base: string;
    const signingKey = generateSigningKey(alg);

    beforeAll(async () => {
      test = await buildTestApp({
        KEYWARD_JWT_ALGORITHM: alg,
        KEYWARD_JWT_SECRET: '',
        KEYWARD_JWT_SIGNING_KEY: signingKey.privateKeyPem,
        KEYWARD_ISSUER: 'https://auth.example.test',
        KEYWARD_AUDIENCE: 'https://api.example.test',
      });
      base = await test.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(() => test.close());

    it('verifies from outside with createRemoteJWKSet alone', async () => {
      const { accessToken, user } = await signUp(test.app);
      const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
        algorithms: [alg],
        issuer: 'https://auth.example.test',
        audience: 'https://api.example.test',
        typ: 'at+jwt',
      });
      expect(payload.sub).toBe(user.id);
      expect(protectedHeader.kid).toBe(signingKey.kid);
    });

    it('publishes only the public half with a cache lifetime', async () => {
      const response = await fetch(`${base}/.well-known/jwks.json`);
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const { keys } = await response.json();
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kid: signingKey.kid, alg, use: 'sig' });
      expect(keys[0]).not.toHaveProperty('d');
    });

    it('authenticates at keyward itself', async () => {
      const { accessToken } = await signUp(test.app);
      const response = await fetch(`${base}/v1/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(response.status).toBe(200);
    });
  });
}

describe('API reference', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  it('lists every API route in /openapi.json', async () => {
    const document = (await test.app.inject('/openapi.json')).json();
    const paths = Object.keys(document.paths);
    for (const path of [
      '/v1/auth/signup',
      '/v1/auth/login',
      '/v1/auth/refresh',
      '/v1/auth/logout',
      '/v1/auth/password',
      '/v1/auth/sessions',
      '/v1/auth/sessions/{id}',
      '/v1/me',
      '/v1/keys',
      '/v1/keys/{id}',
      '/v1/keys/{id}/rotate',
      '/v1/keys/{id}/events',
      '/v1/keys/verify',
      '/.well-known/jwks.json',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(document.paths['/v1/auth/signup'].post.requestBody).toBeDefined();
  });

  it('renders the reference at /docs with its own CSP', async () => {
    const response = await test.app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(String(response.headers['content-security-policy'])).toContain("script-src 'self'");
  });
});
