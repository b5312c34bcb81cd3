import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/apikeys/format.js';
import { redactUrl } from '../../src/http/logger.js';
import { newId } from '../../src/ids.js';

describe('redactUrl', () => {
  it('drops the query string', () => {
    expect(redactUrl('/v1/me?api_key=kw_live_x')).toBe('/v1/me?[redacted]');
  });

  it('redacts keys, tokens and refresh tokens in the path', () => {
    const key = generateApiKey('live').plaintextKey;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl';
    const refreshToken = randomBytes(32).toString('base64url');

    expect(redactUrl(`/v1/keys/${key}`)).toBe('/v1/keys/[redacted]');
    expect(redactUrl(`/v1/me/${jwt}/x`)).toBe('/v1/me/[redacted]/x');
    expect(redactUrl(`/v1/auth/refresh/${refreshToken}`)).toBe('/v1/auth/refresh/[redacted]');
    expect(redactUrl(`/v1/auth/logout;refresh_token=${refreshToken}`)).toBe(
      '/v1/auth/logout;refresh_token=[redacted]',
    );
  });

  it('redacts the user and password of an absolute-form target', () => {
    expect(redactUrl('http://ada:Passw0rd@127.0.0.1/v1/me')).toBe(
      'http://[redacted]@127.0.0.1/v1/me',
    );
    expect(redactUrl('http://127.0.0.1/v1/me')).toBe('http://127.0.0.1/v1/me');
  });

  it('keeps keyward ids, which are not secrets', () => {
    const id = newId('key');

    expect(redactUrl(`/v1/keys/${id}/events`)).toBe(`/v1/keys/${id}/events`);
  });
});
