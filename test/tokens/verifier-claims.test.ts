import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from '../../src/tokens/index.js';
import {
  AUDIENCE,
  craftToken,
  createHs256Fixture,
  errorOf,
  expectRejected,
  header,
  hs256,
  ISSUER,
  NOW_SECONDS,
  now,
  tamperSignature,
  validClaims,
} from './helpers.js';

const { secret, kid, keyring, verify } = createHs256Fixture();
const sign = hs256(secret);
const tokenWith = (overrides: Record<string, unknown>) =>
  craftToken(header(kid), validClaims(overrides), sign);
const tokenWithJson = (json: string) => craftToken(header(kid), json, sign);

describe('access token required claims', () => {
  it.each(['exp', 'iat', 'iss', 'aud', 'sub', 'jti'])('rejects a token without %s', (name) => {
    expectRejected(() => verify(tokenWith({ [name]: undefined })), 'claim_missing');
  });

  it('accepts a token without scope and returns an empty scope', () => {
    expect(verify(tokenWith({ scope: undefined })).scope).toBe('');
  });

  it.each([[''], [42], [null], [['usr_1']]])('rejects a sub of %j', (sub) => {
    expectRejected(() => verify(tokenWith({ sub })), 'claim_invalid');
  });

  it.each([[''], [7], [false]])('rejects a jti of %j', (jti) => {
    expectRejected(() => verify(tokenWith({ jti })), 'claim_invalid');
  });

  it.each([[['keys:read']], [1], [null]])('rejects a scope of %j', (scope) => {
    expectRejected(() => verify(tokenWith({ scope })), 'claim_invalid');
  });
});

describe('access token time claims', () => {
  it.each(['exp', 'iat', 'nbf'])('rejects %s of the wrong type', (name) => {
    for (const value of ['1800000000', null, true, [NOW_SECONDS], { seconds: NOW_SECONDS }]) {
      expectRejected(() => verify(tokenWith({ [name]: value })), 'time_claim_invalid');
    }
  });

  it.each(['exp', 'iat', 'nbf'])('rejects a non-integer %s', (name) => {
    expectRejected(() => verify(tokenWith({ [name]: NOW_SECONDS + 0.5 })), 'time_claim_invalid');
  });

  it.each(['exp', 'iat', 'nbf'])('rejects a non-finite %s written as 1e999', (name) => {
    const json = JSON.stringify(validClaims({ [name]: 0 })).replace(
      `"${name}":0`,
      `"${name}":1e999`,
    );
    expectRejected(() => verify(tokenWithJson(json)), 'time_claim_invalid');
  });

  it.each(['exp', 'iat', 'nbf'])('rejects a negative %s', (name) => {
    expectRejected(() => verify(tokenWith({ [name]: -1 })), 'time_claim_invalid');
  });

  it.each([
    ['milliseconds', (NOW_SECONDS + 600) * 1000],
    ['past year 9999', 253_402_300_800],
    ['2^53', 2 ** 53],
  ])('rejects an absurdly large exp in %s', (_, exp) => {
    expectRejected(() => verify(tokenWith({ exp })), 'time_claim_invalid');
  });

  it('accepts an exp at the last second of year 9999', () => {
    expect(verify(tokenWith({ exp: 253_402_300_799 })).exp).toBe(253_402_300_799);
  });

  it('rejects a token expired beyond the default 30 s skew', () => {
    expectRejected(() => verify(tokenWith({ exp: NOW_SECONDS - 30 })), 'expired');
    expect(verify(tokenWith({ exp: NOW_SECONDS - 29 })).sub).toBe('usr_1');
  });

  it('rejects an nbf in the future beyond the skew', () => {
    expectRejected(() => verify(tokenWith({ nbf: NOW_SECONDS + 31 })), 'not_yet_valid');
    expect(verify(tokenWith({ nbf: NOW_SECONDS + 30 })).nbf).toBe(NOW_SECONDS + 30);
  });

  it('rejects an iat in the future beyond the skew', () => {
    expectRejected(() => verify(tokenWith({ iat: NOW_SECONDS + 31 })), 'issued_in_future');
    expect(verify(tokenWith({ iat: NOW_SECONDS + 30 })).iat).toBe(NOW_SECONDS + 30);
  });

  it('applies a configured skew of 0 s exactly', () => {
    const strict = createAccessTokenVerifier({
      keyring,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 0,
      now,
    });
    expectRejected(() => strict(tokenWith({ exp: NOW_SECONDS })), 'expired');
    expect(strict(tokenWith({ exp: NOW_SECONDS + 1 })).sub).toBe('usr_1');
    expectRejected(() => strict(tokenWith({ iat: NOW_SECONDS + 1 })), 'issued_in_future');
  });

  it('applies the maximum skew of 60 s', () => {
    const lenient = createAccessTokenVerifier({
      keyring,
      issuer: ISSUER,
      audience: AUDIENCE,
      clockSkewSeconds: 60,
      now,
    });
    expect(lenient(tokenWith({ exp: NOW_SECONDS - 59 })).sub).toBe('usr_1');
    expectRejected(() => lenient(tokenWith({ exp: NOW_SECONDS - 60 })), 'expired');
  });

  it.each([61, -1, 1.5, Number.NaN, '30'])(
    'rejects a clockSkewSeconds of %j',
    (clockSkewSeconds) => {
      const error = errorOf(() =>
        createAccessTokenVerifier({
          keyring,
          issuer: ISSUER,
          audience: AUDIENCE,
          clockSkewSeconds: clockSkewSeconds as number,
        }),
      );
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('clockSkewSeconds');
    },
  );
});

describe('access token issuer and audience', () => {
  it.each([
    ['a case variant', ISSUER.toUpperCase()],
    ['a trailing slash', `${ISSUER}/`],
    ['a suffix', `${ISSUER}.attacker.example`],
    ['a prefix of it', ISSUER.slice(0, -1)],
    ['a string containing it', `https://x.example/?next=${ISSUER}`],
    ['an array containing it', [ISSUER]],
    ['a number', 1],
    ['an empty string', ''],
  ])('rejects an iss that is %s', (_, iss) => {
    expectRejected(() => verify(tokenWith({ iss })), 'issuer_mismatch');
  });

  it('accepts an aud array that contains the audience', () => {
    const claims = verify(tokenWith({ aud: ['https://other.example', AUDIENCE] }));
    expect(claims.aud).toEqual(['https://other.example', AUDIENCE]);
  });

  it.each([
    ['a case variant', AUDIENCE.toUpperCase()],
    ['a trailing slash', `${AUDIENCE}/`],
    ['a suffix', `${AUDIENCE}.attacker.example`],
    ['a substring of it', AUDIENCE.slice(8)],
    ['a string containing it', `${AUDIENCE} https://other.example`],
    ['an array without it', ['https://other.example', `${AUDIENCE}/`]],
    ['an empty array', []],
    ['an object', { aud: AUDIENCE }],
    ['a number', 3],
  ])('rejects an aud that is %s', (_, aud) => {
    expectRejected(() => verify(tokenWith({ aud })), 'audience_mismatch');
  });

  it.each([
    ['a number', [AUDIENCE, 1]],
    ['a nested array', [[AUDIENCE]]],
    ['null', [null, AUDIENCE]],
  ])('rejects an aud array with %s as a member', (_, aud) => {
    expectRejected(() => verify(tokenWith({ aud })), 'claim_invalid');
  });
});

describe('access token claims object', () => {
  it('returns only the known claims', () => {
    const claims = verify(tokenWith({ nbf: NOW_SECONDS - 5, admin: true, roles: ['root'] }));
    expect(Object.keys(claims).sort()).toEqual([
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'scope',
      'sub',
    ]);
  });

  it('keeps __proto__ and constructor claims from polluting any object', () => {
    const json = JSON.stringify(validClaims()).replace(
      /}$/,
      ',"__proto__":{"polluted":"yes","sub":"usr_admin"},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
    const claims = verify(tokenWithJson(json));

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.hasOwn(claims, '__proto__')).toBe(false);
    expect(Object.hasOwn(claims, 'constructor')).toBe(false);
    expect((claims as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(claims.sub).toBe('usr_1');
    expect({ ...claims }).not.toHaveProperty('polluted');
  });
});

describe('access token verification cost', () => {
  it('answers an 8 KB token of nested arrays within milliseconds', () => {
    const depth = 2700;
    const json = JSON.stringify(validClaims()).replace(
      /}$/,
      `,"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    const token = tokenWithJson(json);
    expect(token.length).toBeLessThanOrEqual(8192);

    // The fastest of five runs, so a busy machine pausing the process does not count.
    const durations = Array.from({ length: 5 }, () => {
      const started = performance.now();
      verify(token);
      return performance.now() - started;
    });
    expect(verify(token).sub).toBe('usr_1');
    expect(Math.min(...durations)).toBeLessThan(10);
  });

  it('keeps no state from rejected tokens', () => {
    const valid = tokenWith({});
    for (let index = 0; index < 100; index++) {
      const forged = craftToken(header(kid, { typ: `t${index}` }), validClaims(), sign);
      expectRejected(() => verify(forged), 'typ_not_allowed');
      expectRejected(() => verify(tamperSignature(valid)), 'signature_invalid');
    }
    expect(verify(valid).sub).toBe('usr_1');
  });
});
