import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, generateSigningKey } from '../../src/tokens/index.js';
import {
  craftToken,
  createHs256Fixture,
  createPair,
  expectRejected,
  header,
  hs256,
  randomSecret,
  validClaims,
} from './helpers.js';

const { secret, kid, verify } = createHs256Fixture();
const sign = hs256(secret);
const claims = validClaims();

describe('access token alg', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s in any casing', (alg) => {
    const unsigned = craftToken(header(kid, { alg }), claims, () => '');
    expectRejected(() => verify(unsigned), 'alg_none');
    const signed = craftToken(header(kid, { alg }), claims, sign);
    expectRejected(() => verify(signed), 'alg_none');
  });

  it.each(['HS384', 'HS512'])(
    'rejects %s made with the right secret when only HS256 is configured',
    (alg) => {
      const hash = alg === 'HS384' ? 'sha384' : 'sha512';
      const token = craftToken(header(kid, { alg }), claims, (input) =>
        createHmac(hash, secret).update(input).digest('base64url'),
      );
      expectRejected(() => verify(token), 'alg_not_allowed');
    },
  );

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA', 'hs256', 'HS256 ', ''])(
    'rejects alg %j outside the allowlist',
    (alg) => {
      expectRejected(
        () => verify(craftToken(header(kid, { alg }), claims, sign)),
        'alg_not_allowed',
      );
    },
  );

  it('rejects an alg that is not a string', () => {
    const token = craftToken(header(kid, { alg: ['HS256'] }), claims, sign);
    expectRejected(() => verify(token), 'alg_not_allowed');
  });

  it('rejects a header without alg', () => {
    expectRejected(
      () => verify(craftToken(header(kid, { alg: undefined }), claims, sign)),
      'alg_missing',
    );
  });

  it('rejects an alg that the key with this kid does not use', () => {
    const ed25519 = generateSigningKey('EdDSA');
    const keyring = createKeyring({
      active: { alg: 'HS256', secret },
      verifyOnly: [{ alg: 'EdDSA', key: ed25519.publicJwk }],
    });
    const { verify: verifyMixed } = createPair(keyring);
    // EdDSA is allowed by this keyring, but the kid names the HMAC secret.
    const token = craftToken(header(kid, { alg: 'EdDSA' }), claims, () => 'A'.repeat(86));
    expectRejected(() => verifyMixed(token), 'alg_key_mismatch');
  });
});

describe('access token kid', () => {
  it('rejects a header without kid', () => {
    expectRejected(
      () => verify(craftToken(header(kid, { kid: undefined }), claims, sign)),
      'kid_missing',
    );
  });

  it('rejects an unknown kid', () => {
    const token = craftToken(header('not-a-known-kid'), claims, sign);
    expectRejected(() => verify(token), 'kid_unknown');
  });

  it('rejects a kid of another secret even with a matching signature', () => {
    const other = createHs256Fixture(randomSecret());
    expectRejected(() => verify(craftToken(header(other.kid), claims, sign)), 'kid_unknown');
  });

  it.each([[42], [null], [[kid]], [{ kid }]])('rejects a kid that is not a string: %j', (value) => {
    expectRejected(
      () => verify(craftToken(header(kid, { kid: value }), claims, sign)),
      'kid_unknown',
    );
  });

  it('rejects kid names inherited from Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expectRejected(() => verify(craftToken(header(name), claims, sign)), 'kid_unknown');
    }
  });
});

describe('access token header parameters', () => {
  const ed25519 = generateSigningKey('EdDSA');

  it.each([
    ['jwk', ed25519.publicJwk],
    ['jku', 'https://attacker.example/jwks.json'],
    ['x5u', 'https://attacker.example/cert.pem'],
    ['x5c', ['MIIB']],
    ['x5t', 'dGh1bWJwcmludA'],
    ['x5t#S256', 'dGh1bWJwcmludA'],
  ])('rejects an embedded key header %s', (name, value) => {
    expectRejected(
      () => verify(craftToken(header(kid, { [name]: value }), claims, sign)),
      'embedded_key',
    );
  });

  it('rejects an unknown crit parameter', () => {
    const token = craftToken(header(kid, { crit: ['exp'], exp: 1 }), claims, sign);
    expectRejected(() => verify(token), 'crit_not_supported');
    const empty = craftToken(header(kid, { crit: [] }), claims, sign);
    expectRejected(() => verify(empty), 'crit_not_supported');
  });

  it('rejects the b64 parameter with or without crit', () => {
    expectRejected(
      () => verify(craftToken(header(kid, { b64: false }), claims, sign)),
      'b64_not_supported',
    );
    expectRejected(
      () => verify(craftToken(header(kid, { b64: true }), claims, sign)),
      'b64_not_supported',
    );
    const critical = craftToken(header(kid, { b64: false, crit: ['b64'] }), claims, sign);
    expectRejected(() => verify(critical), 'b64_not_supported');
  });

  it.each(['JWT', 'jwt'])('rejects a nested token with cty %s', (cty) => {
    expectRejected(() => verify(craftToken(header(kid, { cty }), claims, sign)), 'nested_token');
  });

  it.each([
    ['cty', 'json'],
    ['zip', 'DEF'],
    ['enc', 'A128GCM'],
    ['nonce', 'abc'],
    ['url', 'https://api.example.test'],
    ['iss', 'https://auth.example.test'],
    ['__proto__', { alg: 'none' }],
  ])('rejects the header parameter %s outside the allowlist', (name, value) => {
    const json = JSON.stringify(header(kid)).replace(
      /}$/,
      `,${JSON.stringify(name)}:${JSON.stringify(value)}}`,
    );
    expectRejected(() => verify(craftToken(json, claims, sign)), 'header_parameter_not_allowed');
  });
});

describe('access token typ', () => {
  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+Jwt'])(
    'accepts typ %s',
    (typ) => {
      expect(verify(craftToken(header(kid, { typ }), claims, sign)).sub).toBe('usr_1');
    },
  );

  it.each([
    'JWT',
    'jwt',
    'application/jwt',
    'at+jwt ',
    'x/at+jwt',
    'at+jwt; charset=utf-8',
    'secevent+jwt',
    '',
  ])('rejects typ %j other than at+jwt', (typ) => {
    expectRejected(() => verify(craftToken(header(kid, { typ }), claims, sign)), 'typ_not_allowed');
  });

  it('rejects a typ that is not a string', () => {
    expectRejected(
      () => verify(craftToken(header(kid, { typ: ['at+jwt'] }), claims, sign)),
      'typ_not_allowed',
    );
  });

  it('rejects a header without typ', () => {
    expectRejected(
      () => verify(craftToken(header(kid, { typ: undefined }), claims, sign)),
      'typ_missing',
    );
  });
});
