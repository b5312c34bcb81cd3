import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHeaders } from '../../src/http/security-headers.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('security headers', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  it('are the OWASP REST set for JSON APIs', () => {
    expect(apiHeaders).toEqual({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
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
    ]);

    expect(responses.map((response) => response.statusCode)).toEqual([200, 401, 404, 400]);
    for (const response of responses) {
      expect(response.headers).toMatchObject(apiHeaders);
    }
  });

  it('keep /docs out of frames, since its own policy replaces the API one', async () => {
    const response = await test.app.inject('/docs/');

    expect(response.statusCode).toBe(200);
    expect(response.headers['x-frame-options']).toBe('DENY');
  });
});
