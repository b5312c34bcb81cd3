import { createSecretKey } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenIssuer, type Keyring } from '../../src/tokens/index.js';
import {
  AUDIENCE,
  createHs256Fixture,
  errorOf,
  ISSUER,
  NOW_MS,
  NOW_SECONDS,
  now,
} from './helpers.js';

const { secret, kid, keyring, issue, verify } = createHs256Fixture();

describe('createAccessTokenIssuer', () => {
  it('issues the RFC 9068 header with the active kid', () => {
    const { token } = issue({ sub: 'usr_1', scope: 'keys:read' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid });
  });

  it('issues the claims and a 15-minute lifetime by default', () => {
    const { claims, expiresIn } = issue({ sub: 'usr_1', scope: ['keys:read', 'keys:write'] });
    expect(expiresIn).toBe(900);
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'usr_1',
      aud: AUDIENCE,
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 900,
      jti: claims.jti,
      scope: 'keys:read keys:write',
    });
  });

  it('returns claims equal to what the verifier reads back', () => {
    const { token, claims } = issue({ sub: 'usr_1', scope: 'a b' });
    expect(verify(token)).toEqual(claims);
  });

  it('draws a random 128-bit jti for each token', () => {
    const jtis = new Set(
      Array.from({ length: 200 }, () => issue({ sub: 'usr_1', scope: '' }).claims.jti),
    );
    expect(jtis.size).toBe(200);
    for (const jti of jtis) expect(Buffer.from(jti, 'base64url')).toHaveLength(16);
  });

  it('uses a given jti', () => {
    expect(issue({ sub: 'usr_1', scope: '', jti: 'tok_42' }).claims.jti).toBe('tok_42');
  });

  it('floors the clock to whole seconds', () => {
    const { issue: issueLater } = createAccessTokenIssuer({
      keyring,
      issuer: ISSUER,
      audience: AUDIENCE,
      ttlSeconds: 60,
      now: () => NOW_MS + 999,
    });
    const { claims, expiresIn } = issueLater({ sub: 'usr_1', scope: '' });
    expect(claims.iat).toBe(NOW_SECONDS);
    expect(claims.exp).toBe(NOW_SECONDS + 60);
    expect(expiresIn).toBe(60);
  });

  it('normalises a scope string to single spaces', () => {
    expect(issue({ sub: 'usr_1', scope: ' a  b ' }).claims.scope).toBe('a b');
  });

  it('issues tokens that jose accepts under the same policy', async () => {
    const { token } = issue({ sub: 'usr_1', scope: 'a' });
    const result = await jwtVerify(token, createSecretKey(Buffer.from(secret)), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      currentDate: new Date(NOW_MS),
    });
    expect(result.payload.sub).toBe('usr_1');
  });

  it.each([
    ['an empty sub', { sub: '', scope: '' }],
    ['a sub that is not a string', { sub: 42, scope: '' }],
    ['a scope token with a quote', { sub: 'usr_1', scope: 'a"b' }],
    ['a scope token with a backslash', { sub: 'usr_1', scope: ['a\\b'] }],
    ['a scope token with a space', { sub: 'usr_1', scope: ['a b'] }],
    ['a non-ASCII scope token', { sub: 'usr_1', scope: 'lésen' }],
    ['a scope that is not a string or list', { sub: 'usr_1', scope: 7 }],
    ['an empty jti', { sub: 'usr_1', scope: '', jti: '' }],
  ])('rejects a request with %s', (_, request) => {
    const error = errorOf(() => issue(request as never));
    expect(error.code).toBe('validation_failed');
  });

  it.each([
    ['a ttl of 0', { ttlSeconds: 0 }],
    ['a ttl over a day', { ttlSeconds: 86_401 }],
    ['a fractional ttl', { ttlSeconds: 1.5 }],
    ['an empty issuer', { issuer: '' }],
    ['a missing audience', { audience: undefined }],
    ['a keyring without a signing key', { keyring: {} as Keyring }],
  ])('rejects options with %s', (_, overrides) => {
    const options = { keyring, issuer: ISSUER, audience: AUDIENCE, now, ...overrides };
    const error = errorOf(() => createAccessTokenIssuer(options as never));
    expect(error.code).toBe('validation_failed');
  });
});
