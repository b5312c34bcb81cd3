import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyJwtSignature } from '../../src/inspector/index.js';
import { generateSecret } from '../../src/secrets/index.js';
import { hmacToken, nowSeconds, rawToken } from './tokens.js';

async function signedWith(alg: 'EdDSA' | 'ES256' | 'RS256') {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const token = await new jose.SignJWT({ sub: 'usr_1', exp: nowSeconds() + 60 })
    .setProtectedHeader({ alg, kid: 'key-1' })
    .sign(privateKey);
  return { token, publicKey, privateKey };
}

describe('verifyJwtSignature with a secret', () => {
  it('accepts the signing secret', async () => {
    const { token, secret } = await hmacToken();

    expect(await verifyJwtSignature(token, { secret })).toEqual({ valid: true, alg: 'HS256' });
  });

  it('rejects another secret', async () => {
    const { token } = await hmacToken();
    const result = await verifyJwtSignature(token, { secret: generateSecret() });

    expect(result.valid).toBe(false);
    expect(result.reason).toBe('The signature does not match this key.');
  });

  it('raises validation_failed for a secret with an asymmetric alg', async () => {
    const { token } = await signedWith('ES256');

    await expect(verifyJwtSignature(token, { secret: generateSecret() })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'The token uses ES256, which needs a public key, not a secret.',
    });
  });
});

describe('verifyJwtSignature with public keys', () => {
  for (const alg of ['EdDSA', 'ES256', 'RS256'] as const) {
    it(`accepts the ${alg} public JWK and PEM`, async () => {
      const { token, publicKey } = await signedWith(alg);

      expect(
        (await verifyJwtSignature(token, { jwk: await jose.exportJWK(publicKey) })).valid,
      ).toBe(true);
      expect(
        (await verifyJwtSignature(token, { pem: await jose.exportSPKI(publicKey) })).valid,
      ).toBe(true);
    });
  }

  it('rejects the public key of another pair', async () => {
    const { token } = await signedWith('EdDSA');
    const other = await signedWith('EdDSA');

    expect(
      (await verifyJwtSignature(token, { jwk: await jose.exportJWK(other.publicKey) })).valid,
    ).toBe(false);
  });

  it('uses the public half of a pasted private JWK', async () => {
    const { token, privateKey } = await signedWith('ES256');

    expect((await verifyJwtSignature(token, { jwk: await jose.exportJWK(privateKey) })).valid).toBe(
      true,
    );
  });

  it('selects the key of a JWK Set by kid', async () => {
    const { token, publicKey } = await signedWith('EdDSA');
    const other = await signedWith('EdDSA');
    const keys = [
      { ...(await jose.exportJWK(other.publicKey)), kid: 'key-0', alg: 'EdDSA' },
      { ...(await jose.exportJWK(publicKey)), kid: 'key-1', alg: 'EdDSA' },
    ];

    expect((await verifyJwtSignature(token, { jwk: { keys } })).valid).toBe(true);
    const missing = await verifyJwtSignature(token, { jwk: { keys: keys.slice(0, 1) } });
    expect(missing.valid).toBe(false);
  });

  it('raises validation_failed for a private PEM', async () => {
    const { token, privateKey } = await signedWith('RS256');

    await expect(
      verifyJwtSignature(token, { pem: await jose.exportPKCS8(privateKey) }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'This is a private key. Paste the public key (BEGIN PUBLIC KEY) instead.',
    });
  });

  it('raises validation_failed for a JWK of the wrong type', async () => {
    const { token } = await signedWith('ES256');
    const { publicKey } = await jose.generateKeyPair('EdDSA', { extractable: true });

    await expect(
      verifyJwtSignature(token, { jwk: await jose.exportJWK(publicKey) }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('verifyJwtSignature on unusable tokens', () => {
  it('reports alg none as not valid', async () => {
    const result = await verifyJwtSignature(rawToken({ alg: 'none' }, {}), { secret: 'x' });

    expect(result).toEqual({
      valid: false,
      alg: 'none',
      reason: 'alg "none" has no signature to verify.',
    });
  });

  it('raises invalid_token for malformed input', async () => {
    await expect(verifyJwtSignature('a.b', { secret: 'x' })).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });
});
