import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeyring, generateSigningKey, type KeyInput } from '../../src/tokens/index.js';
import { errorOf, randomSecret } from './helpers.js';

describe('keyring secrets', () => {
  it('rejects a secret shorter than 32 bytes', () => {
    const secret = randomBytes(31)
      .toString('latin1')
      .replace(/[^\x21-\x7e]/g, 'x');
    const error = errorOf(() => createKeyring({ active: { alg: 'HS256', secret } }));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('keyring active key is shorter than 32 bytes');
    expect(error.message).not.toContain(secret);
  });

  it('counts secret length in UTF-8 bytes', () => {
    expect(() => createKeyring({ active: { alg: 'HS256', secret: 'é'.repeat(16) } })).not.toThrow();
    const error = errorOf(() =>
      createKeyring({ active: { alg: 'HS256', secret: 'e'.repeat(31) } }),
    );
    expect(error.code).toBe('validation_failed');
  });

  it('accepts a secret given as bytes', () => {
    expect(createKeyring({ active: { alg: 'HS256', secret: randomBytes(32) } }).active.alg).toBe(
      'HS256',
    );
  });

  it('rejects a secret with surrounding whitespace and names its source', () => {
    const error = errorOf(() =>
      createKeyring({
        active: { alg: 'HS256', secret: `${randomSecret()}\n`, source: 'KEYWARD_JWT_SECRET' },
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('KEYWARD_JWT_SECRET starts or ends with whitespace; remove it.');
  });

  it('derives a secret kid by HMAC', () => {
    const secret = randomSecret();
    const { kid } = createKeyring({ active: { alg: 'HS256', secret } }).active;
    const expected = createHmac('sha256', secret).update('keyward kid v1').digest().subarray(0, 16);
    expect(kid).toBe(expected.toString('base64url'));
    expect(kid).toHaveLength(22);
    expect(createHash('sha256').update(secret).digest('base64url')).not.toContain(kid);
  });

  it('gives different secrets different kids', () => {
    const kids = new Set(
      Array.from(
        { length: 50 },
        () => createKeyring({ active: { alg: 'HS256', secret: randomSecret() } }).active.kid,
      ),
    );
    expect(kids.size).toBe(50);
  });

  it('rejects the same secret twice', () => {
    const secret = randomSecret();
    const error = errorOf(() =>
      createKeyring({ active: { alg: 'HS256', secret }, verifyOnly: [{ alg: 'HS256', secret }] }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(
      'keyring verify-only key 1 is the same key as keyring active key; remove one of them.',
    );
  });

  it('keeps secrets out of JSON and inspect output', () => {
    const secret = randomSecret();
    const previous = randomSecret();
    const keyring = createKeyring({
      active: { alg: 'HS256', secret },
      verifyOnly: [{ alg: 'HS256', secret: previous }],
    });
    for (const text of [
      JSON.stringify(keyring),
      inspect(keyring, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(previous);
    }
  });

  it('signs only with the active key', () => {
    const previous = randomSecret();
    const previousKid = createKeyring({ active: { alg: 'HS256', secret: previous } }).active.kid;
    const keyring = createKeyring({
      active: { alg: 'HS256', secret: randomSecret() },
      verifyOnly: [{ alg: 'HS256', secret: previous }],
    });

    expect(keyring.active.state).toBe('active');
    expect(keyring.find(keyring.active.kid)).toBe(keyring.active);
    expect(keyring.find(previousKid)?.state).toBe('verifyOnly');
    expect(keyring.find(previousKid)).not.toHaveProperty('sign');
    expect(Object.isFrozen(keyring)).toBe(true);
  });

  it('returns an empty JWKS with HMAC secrets only', () => {
    expect(
      createKeyring({ active: { alg: 'HS256', secret: randomSecret() } }).publicJwks(),
    ).toEqual({ keys: [] });
  });
});

describe('keyring asymmetric keys', () => {
  it.each(['EdDSA', 'ES256'] as const)(
    'uses the RFC 7638 thumbprint as the kid of an %s key',
    async (alg) => {
      const generated = generateSigningKey(alg);
      const keyring = createKeyring({ active: { alg, key: generated.privateKeyPem } });
      const { kid, alg: _alg, use: _use, ...members } = generated.publicJwk;
      expect(keyring.active.kid).toBe(await calculateJwkThumbprint(members));
      expect(keyring.active.kid).toBe(generated.kid);
    },
  );

  it('publishes the public halves of active and verify-only keys', () => {
    const active = generateSigningKey('EdDSA');
    const previous = generateSigningKey('ES256');
    const keyring = createKeyring({
      active: { alg: 'EdDSA', key: active.privateJwk },
      verifyOnly: [
        { alg: 'ES256', key: previous.privateKeyPem },
        { alg: 'HS256', secret: randomSecret() },
      ],
    });
    const { keys } = keyring.publicJwks();
    expect(keys).toEqual([active.publicJwk, previous.publicJwk]);
    for (const key of keys) {
      expect(key).not.toHaveProperty('d');
      expect(key.use).toBe('sig');
    }
    expect(keyring.algorithms).toEqual(['EdDSA', 'ES256', 'HS256']);
  });

  it('returns a fresh JWKS on every call', () => {
    const keyring = createKeyring({
      active: { alg: 'EdDSA', key: generateSigningKey('EdDSA').privateKeyPem },
    });
    keyring.publicJwks().keys[0]!.kid = 'changed';
    expect(keyring.publicJwks().keys[0]!.kid).toBe(keyring.active.kid);
  });

  it('keeps private keys out of JSON and inspect output', () => {
    const generated = generateSigningKey('ES256');
    const keyring = createKeyring({ active: { alg: 'ES256', key: generated.privateKeyPem } });
    for (const text of [
      JSON.stringify(keyring),
      inspect(keyring, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(generated.privateJwk.d);
    }
  });

  it('accepts a public key as a verify-only key', () => {
    const generated = generateSigningKey('EdDSA');
    const keyring = createKeyring({
      active: { alg: 'HS256', secret: randomSecret() },
      verifyOnly: [{ alg: 'EdDSA', key: generated.publicJwk }],
    });
    expect(keyring.find(generated.kid)?.state).toBe('verifyOnly');
    expect(keyring.find(generated.kid)).not.toHaveProperty('sign');
  });

  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  });
  const ed25519 = generateSigningKey('EdDSA');
  const p256 = generateSigningKey('ES256');

  it.each([
    [
      'an Ed25519 key for ES256',
      { alg: 'ES256', key: ed25519.privateKeyPem },
      'is not a P-256 key',
    ],
    ['a P-256 key for EdDSA', { alg: 'EdDSA', key: p256.privateKeyPem }, 'is not an Ed25519 key'],
    ['a P-384 key for ES256', { alg: 'ES256', key: p384 }, 'is not a P-256 key'],
    ['an RSA key for EdDSA', { alg: 'EdDSA', key: rsa }, 'is not an Ed25519 key'],
    [
      'a public key as the signing key',
      { alg: 'EdDSA', key: ed25519.publicJwk },
      'is not a readable private key',
    ],
    ['text that is no key', { alg: 'EdDSA', key: 'not a key' }, 'is not a readable private key'],
    ['an unsupported algorithm', { alg: 'RS256', key: rsa }, 'has an unsupported algorithm'],
    ['alg none', { alg: 'none', secret: randomSecret() }, 'has an unsupported algorithm'],
  ])('rejects %s', (_, active, message) => {
    const error = errorOf(() => createKeyring({ active: active as KeyInput }));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('PRIVATE KEY');
  });
});

describe('generateSigningKey', () => {
  it.each(['EdDSA', 'ES256'] as const)('returns an %s key in PEM and JWK forms', async (alg) => {
    const generated = generateSigningKey(alg);
    expect(generated.alg).toBe(alg);
    expect(generated.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(generated.privateJwk.d).toBeTypeOf('string');
    expect(generated.publicJwk).not.toHaveProperty('d');
    expect(generated.publicJwk).toMatchObject({ kid: generated.kid, alg, use: 'sig' });
    expect(createKeyring({ active: { alg, key: generated.privateJwk } }).active.kid).toBe(
      generated.kid,
    );
  });

  it('rejects an algorithm without a key pair', () => {
    const error = errorOf(() => generateSigningKey('HS256' as 'EdDSA'));
    expect(error.code).toBe('validation_failed');
  });
});
