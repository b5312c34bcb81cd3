import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeyring, generateSigningKey } from '../../src/tokens/index.js';
import {
  createPair,
  expectRejected,
  ISSUER,
  NOW_MS,
  randomSecret,
  tamperSignature,
} from './helpers.js';
import { josePolicy } from './jose-policy.js';

describe.each(['EdDSA', 'ES256'] as const)('%s access tokens', (alg) => {
  const generated = generateSigningKey(alg);
  const keyring = createKeyring({ active: { alg, key: generated.privateKeyPem } });
  const { issue, verify } = createPair(keyring);

  it('round-trips through issue and verify', () => {
    const { token, claims } = issue({ sub: 'usr_1', scope: ['keys:read'] });
    expect(verify(token)).toEqual(claims);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg,
      typ: 'at+jwt',
      kid: generated.kid,
    });
  });

  it('verifies through jose with the published JWKS', async () => {
    const { token } = issue({ sub: 'usr_1', scope: 'keys:read' });
    const jwks = createLocalJWKSet(keyring.publicJwks());
    const result = await jwtVerify(token, jwks, josePolicy([alg]));
    expect(result.payload.sub).toBe('usr_1');
    expect(result.protectedHeader.kid).toBe(generated.kid);
  });

  it('fails in jose once the signature is tampered with', async () => {
    const token = tamperSignature(issue({ sub: 'usr_1', scope: '' }).token);
    const jwks = createLocalJWKSet(keyring.publicJwks());
    await expect(jwtVerify(token, jwks, josePolicy([alg]))).rejects.toThrow();
    expectRejected(() => verify(token), 'signature_invalid');
  });

  it('verifies with a keyring that holds only the public key', () => {
    const { token, claims } = issue({ sub: 'usr_1', scope: '' });
    const verifier = createKeyring({
      active: { alg: 'HS256', secret: randomSecret() },
      verifyOnly: [{ alg, key: generated.publicJwk }],
    });
    expect(createPair(verifier).verify(token)).toEqual(claims);
  });
});

describe('published JWKS across a rotation', () => {
  it('lets jose verify tokens of the active and the verify-only key', async () => {
    const older = generateSigningKey('ES256');
    const newer = generateSigningKey('EdDSA');
    const before = createPair(
      createKeyring({ active: { alg: 'ES256', key: older.privateKeyPem } }),
    );
    const rotated = createKeyring({
      active: { alg: 'EdDSA', key: newer.privateJwk },
      verifyOnly: [{ alg: 'ES256', key: older.publicJwk }],
    });
    const after = createPair(rotated);
    const jwks = createLocalJWKSet(rotated.publicJwks());

    for (const { token } of [
      before.issue({ sub: 'a', scope: '' }),
      after.issue({ sub: 'b', scope: '' }),
    ]) {
      const result = await jwtVerify(token, jwks, {
        ...josePolicy(['EdDSA', 'ES256']),
        issuer: ISSUER,
      });
      expect(result.payload.iat).toBe(NOW_MS / 1000);
      expect(after.verify(token).iat).toBe(NOW_MS / 1000);
    }
  });
});
