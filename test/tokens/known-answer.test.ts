// Known-answer tests with the examples of RFC 7515 appendix A.1 (HS256) and RFC 8037
// appendix A.4 (Ed25519). Their keys are published test keys, not secrets.
import { createPrivateKey, createPublicKey, createSecretKey, sign } from 'node:crypto';
import { compactVerify, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier, createKeyring } from '../../src/tokens/index.js';
import { parseJsonObject } from '../../src/tokens/json-object.js';
import type { TokenRejectionReason } from '../../src/tokens/reject.js';
import { createSignatureVerifier } from '../../src/tokens/signature.js';
import { AUDIENCE, craftToken, createPair, expectRejected, hs256 } from './helpers.js';

const RFC7515_KEY = Buffer.from(
  'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
  'base64url',
);
const RFC7515_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
/** Ten seconds before the example's `exp`, in milliseconds. */
const RFC7515_NOW_MS = 1_300_819_370_000;

const RFC8037_JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
};
const RFC8037_TOKEN =
  'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc' +
  '.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

/** Splits a compact token into its signing input and decoded signature. */
function parts(token: string) {
  const lastDot = token.lastIndexOf('.');
  return {
    input: token.slice(0, lastDot),
    signature: Buffer.from(token.slice(lastDot + 1), 'base64url'),
  };
}

describe('RFC 7515 appendix A.1 (HS256)', () => {
  it('is verified by jose under a permissive policy at the RFC time', async () => {
    const result = await jwtVerify(RFC7515_TOKEN, RFC7515_KEY, {
      currentDate: new Date(RFC7515_NOW_MS),
    });
    expect(result.payload).toEqual({
      iss: 'joe',
      exp: 1_300_819_380,
      'http://example.com/is_root': true,
    });
  });

  it('passes the keyward signature check and claims parser', () => {
    const { input, signature } = parts(RFC7515_TOKEN);
    const verifySignature = createSignatureVerifier('HS256', createSecretKey(RFC7515_KEY));
    expect(verifySignature(input, signature)).toBe(true);
    expect(verifySignature(`${input}x`, signature)).toBe(false);
    const payload = Buffer.from(input.split('.')[1]!, 'base64url');
    expect(parseJsonObject(payload)).toEqual({
      iss: 'joe',
      exp: 1_300_819_380,
      'http://example.com/is_root': true,
    });
  });

  // Each row fixes the previous row's failure, so together they list every rule the example
  // breaks, in the order the verifier checks them.
  const keyring = createKeyring({ active: { alg: 'HS256', secret: RFC7515_KEY } });
  const kid = keyring.active.kid;
  const rfcClaims = { iss: 'joe', exp: 1_300_819_380, 'http://example.com/is_root': true };
  const stages: [string, object | null, object, number, TokenRejectionReason][] = [
    ['typ JWT is not at+jwt', null, rfcClaims, RFC7515_NOW_MS, 'typ_not_allowed'],
    [
      'the header has no kid',
      { typ: 'at+jwt', alg: 'HS256' },
      rfcClaims,
      RFC7515_NOW_MS,
      'kid_missing',
    ],
    [
      'the claims have no iat',
      { typ: 'at+jwt', alg: 'HS256', kid },
      rfcClaims,
      RFC7515_NOW_MS,
      'claim_missing',
    ],
    [
      'it expired in 2011',
      { typ: 'at+jwt', alg: 'HS256', kid },
      { ...rfcClaims, iat: 1_300_819_000 },
      Date.now(),
      'expired',
    ],
    [
      'the claims have no aud',
      { typ: 'at+jwt', alg: 'HS256', kid },
      { ...rfcClaims, iat: 1_300_819_000 },
      RFC7515_NOW_MS,
      'claim_missing',
    ],
  ];

  it.each(stages)('fails the default policy because %s', (_, header, claims, nowMs, reason) => {
    const token = header === null ? RFC7515_TOKEN : craftToken(header, claims, hs256(RFC7515_KEY));
    const verify = createAccessTokenVerifier({
      keyring,
      issuer: 'joe',
      audience: AUDIENCE,
      now: () => nowMs,
    });
    expectRejected(() => verify(token), reason);
  });
});

describe('RFC 8037 appendix A.4 (Ed25519)', () => {
  const privateKey = createPrivateKey({ key: RFC8037_JWK, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);

  it('is verified by jose under a permissive policy', async () => {
    const result = await compactVerify(RFC8037_TOKEN, publicKey);
    expect(Buffer.from(result.payload).toString()).toBe('Example of Ed25519 signing');
  });

  it('passes the keyward signature check', () => {
    const { input, signature } = parts(RFC8037_TOKEN);
    const verifySignature = createSignatureVerifier('EdDSA', publicKey);
    expect(verifySignature(input, signature)).toBe(true);
    signature[0]! ^= 1;
    expect(verifySignature(input, signature)).toBe(false);
  });

  const keyring = createKeyring({ active: { alg: 'EdDSA', key: RFC8037_JWK } });
  const signEd25519 = (input: string) =>
    sign(null, Buffer.from(input), privateKey).toString('base64url');
  const resigned = (header: object) => {
    const payload = RFC8037_TOKEN.split('.')[1];
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}`;
    return `${input}.${signEd25519(input)}`;
  };

  it.each([
    ['the header has no typ', () => RFC8037_TOKEN, 'typ_missing'],
    ['the header has no kid', () => resigned({ alg: 'EdDSA', typ: 'at+jwt' }), 'kid_missing'],
    [
      'the payload is not JSON',
      () => resigned({ alg: 'EdDSA', typ: 'at+jwt', kid: keyring.active.kid }),
      'malformed_json',
    ],
  ] as const)('fails the default policy because %s', (_, token, reason) => {
    expectRejected(() => createPair(keyring).verify(token()), reason);
  });
});
