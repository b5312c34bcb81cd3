import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHeaders, htmlHeaders } from '../../src/http/security-headers.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('security headers', () => {
  let test: TestApp;
  beforeAll(async () => {
    // inject() connects from 127.0.0.1, so the requests come from a trusted proxy.
    test = await buildTestApp({ KEYWARD_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => test.close());

  it('are the OWASP REST set for JSON bodies', () => {
    expect(apiHeaders).toEqual({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    });
  });

  it('are sent on successes, client errors and unknown routes alike', async () => {
    const responses = await Promise.all([
      test.app.inject('/healthz'),
      test.app.inject('/v1/me'),
      test.app.inject('/no/such/route'),
      test.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      }),
      // Too malformed to route, so Fastify skips the onRequest hooks for it.
      test.app.inject('/v1/keys/%E0%A4%A'),
    ]);

    expect(responses.map((response) => response.statusCode)).toEqual([200, 401, 404, 400, 400]);
    for (const response of responses) {
      expect(response.headers).toMatchObject(apiHeaders);
      expect(response.headers['x-frame-options']).toBeUndefined();
    }
  });

  it('add HSTS only on requests that came over HTTPS', async () => {
    const overHttps = await test.app.inject({
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
    });
    const overHttp = await test.app.inject('/healthz');

    expect(overHttps.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
  });

  it('ignore X-Forwarded-Proto from an untrusted address', async () => {
    const response = await test.app.inject({
      url: '/healthz',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });

    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('keep /docs and the page out of frames', async () => {
    for (const url of ['/docs/', '/']) {
      const response = await test.app.inject(url);

      expect(response.statusCode, url).toBe(200);
      expect(response.headers, url).toMatchObject(htmlHeaders);
    }
  });

  it('redact a key from the path echoed in a 404', async () => {
    const key = `kw_live_${'a'.repeat(22)}AAAAAA`;
    const response = await test.app.inject(`/no/such/${key}`);

    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain(key);
    expect(response.json().detail).toContain('/no/such/[redacted]');
  });
});
