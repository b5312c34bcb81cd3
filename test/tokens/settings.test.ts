import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateSigningKey,
  keyringOptionsFromSettings,
} from '../../src/tokens/index.js';
import type { JwtSettings } from '../../src/tokens/settings.js';
import { errorOf, randomSecret } from './helpers.js';

/** Asserts a `validation_failed` error whose message contains `text` and none of `secrets`. */
function expectInvalid(settings: JwtSettings, text: string, secrets: string[] = []): void {
  const error = errorOf(() => keyringOptionsFromSettings(settings));
  expect(error.code).toBe('validation_failed');
  expect(error.message).toContain(text);
  for (const secret of secrets) expect(error.message).not.toContain(secret);
}

describe('HS256 settings', () => {
  it('defaults to HS256 with KEYWARD_JWT_SECRET', () => {
    const secret = randomSecret();
    const options = keyringOptionsFromSettings({ secret });
    expect(options.active).toEqual({ alg: 'HS256', secret, source: 'KEYWARD_JWT_SECRET' });
    expect(options.verifyOnly).toEqual([]);
  });

  it('reads comma-separated previous secrets, trimmed, skipping empty entries', () => {
    const [current, first, second] = [randomSecret(), randomSecret(), randomSecret()];
    const options = keyringOptionsFromSettings({
      algorithm: 'HS256',
      secret: current,
      previousSecrets: ` ${first}, ,${second} `,
    });
    expect(options.verifyOnly).toEqual([
      { alg: 'HS256', secret: first, source: 'KEYWARD_JWT_PREVIOUS_SECRETS entry 1' },
      { alg: 'HS256', secret: second, source: 'KEYWARD_JWT_PREVIOUS_SECRETS entry 2' },
    ]);
  });

  it('treats empty strings as unset', () => {
    const secret = randomSecret();
    const options = keyringOptionsFromSettings({
      algorithm: '',
      secret,
      previousSecrets: '',
      signingKey: '',
      previousSigningKeys: '',
    });
    expect(options.active.alg).toBe('HS256');
  });

  it('names KEYWARD_JWT_SECRET when it is missing', () => {
    expectInvalid({}, 'KEYWARD_JWT_SECRET is missing; set it to at least 32 random bytes');
  });

  it('names KEYWARD_JWT_SECRET when it is short, without echoing it', () => {
    const secret = 'short-but-secret-value';
    expectInvalid({ secret }, 'KEYWARD_JWT_SECRET is shorter than 32 bytes', [secret]);
  });

  it('names the previous secret entry that is short, without echoing it', () => {
    const short = 'previous-secret-too-short';
    expectInvalid(
      { secret: randomSecret(), previousSecrets: `${randomSecret()},${short}` },
      'KEYWARD_JWT_PREVIOUS_SECRETS entry 2 is shorter than 32 bytes',
      [short],
    );
  });

  it('rejects the current secret repeated among the previous ones', () => {
    const secret = randomSecret();
    expectInvalid(
      { secret, previousSecrets: secret },
      'KEYWARD_JWT_PREVIOUS_SECRETS entry 1 is the same key as KEYWARD_JWT_SECRET',
      [secret],
    );
  });

  it('rejects an unknown algorithm', () => {
    expectInvalid(
      { algorithm: 'RS256', secret: randomSecret() },
      'KEYWARD_JWT_ALGORITHM must be one of HS256, EdDSA, ES256',
    );
    expectInvalid({ algorithm: 'hs256', secret: randomSecret() }, 'KEYWARD_JWT_ALGORITHM');
  });

  it('rejects a signing key under HS256', () => {
    const signingKey = generateSigningKey('EdDSA').privateKeyPem;
    expectInvalid(
      { secret: randomSecret(), signingKey },
      'KEYWARD_JWT_SIGNING_KEY is set but KEYWARD_JWT_ALGORITHM is HS256',
      [signingKey],
    );
  });
});

describe('EdDSA and ES256 settings', () => {
  const directory = mkdtempSync(join(tmpdir(), 'keyward-tokens-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(['EdDSA', 'ES256'] as const)(
    'reads an %s signing key as PEM or JWK text',
    (algorithm) => {
      const generated = generateSigningKey(algorithm);
      for (const signingKey of [generated.privateKeyPem, JSON.stringify(generated.privateJwk)]) {
        const keyring = createKeyring(keyringOptionsFromSettings({ algorithm, signingKey }));
        expect(keyring.active.kid).toBe(generated.kid);
      }
    },
  );

  it('reads the signing key from KEYWARD_JWT_SIGNING_KEY_FILE', () => {
    const generated = generateSigningKey('EdDSA');
    const path = join(directory, 'signing-key.pem');
    writeFileSync(path, generated.privateKeyPem, { mode: 0o600 });
    const options = keyringOptionsFromSettings({ algorithm: 'EdDSA', signingKeyFile: path });
    expect(options.active).toMatchObject({ alg: 'EdDSA', source: 'KEYWARD_JWT_SIGNING_KEY_FILE' });
    expect(createKeyring(options).active.kid).toBe(generated.kid);
  });

  it('names KEYWARD_JWT_SIGNING_KEY_FILE when the file cannot be read', () => {
    expectInvalid(
      { algorithm: 'EdDSA', signingKeyFile: join(directory, 'missing.pem') },
      'KEYWARD_JWT_SIGNING_KEY_FILE could not be read (ENOENT)',
    );
  });

  it('rejects both the signing key and its file', () => {
    const signingKey = generateSigningKey('EdDSA').privateKeyPem;
    expectInvalid(
      { algorithm: 'EdDSA', signingKey, signingKeyFile: '/dev/null' },
      'KEYWARD_JWT_SIGNING_KEY and KEYWARD_JWT_SIGNING_KEY_FILE are both set',
      [signingKey],
    );
  });

  it('tells how to create a missing signing key', () => {
    expectInvalid({ algorithm: 'ES256' }, 'keyward signing-key generate --alg ES256 --env');
  });

  it('names KEYWARD_JWT_SIGNING_KEY when the key has the wrong type, without echoing it', () => {
    const signingKey = generateSigningKey('EdDSA').privateKeyPem;
    expectInvalid(
      { algorithm: 'ES256', signingKey },
      'KEYWARD_JWT_SIGNING_KEY is not a P-256 key',
      [signingKey],
    );
  });

  it('rejects a secret under EdDSA', () => {
    const secret = randomSecret();
    expectInvalid(
      { algorithm: 'EdDSA', secret, signingKey: generateSigningKey('EdDSA').privateKeyPem },
      'move the secret to KEYWARD_JWT_PREVIOUS_SECRETS',
      [secret],
    );
  });

  it('keeps previous HMAC secrets verifying after a move to EdDSA', () => {
    const previous = randomSecret();
    const previousKid = createKeyring({ active: { alg: 'HS256', secret: previous } }).active.kid;
    const options = keyringOptionsFromSettings({
      algorithm: 'EdDSA',
      signingKey: generateSigningKey('EdDSA').privateKeyPem,
      previousSecrets: previous,
    });
    expect(createKeyring(options).find(previousKid)?.alg).toBe('HS256');
  });

  it('reads previous signing keys from a JWKS such as the published one', () => {
    const older = createKeyring({
      active: { alg: 'ES256', key: generateSigningKey('ES256').privateKeyPem },
    });
    const jwks = JSON.stringify(older.publicJwks());
    const options = keyringOptionsFromSettings({
      algorithm: 'EdDSA',
      signingKey: generateSigningKey('EdDSA').privateKeyPem,
      previousSigningKeys: jwks,
    });
    expect(options.verifyOnly).toHaveLength(1);
    expect(createKeyring(options).find(older.active.kid)?.state).toBe('verifyOnly');
  });

  it('accepts a previous key without kid or alg, and a private JWK', () => {
    const generated = generateSigningKey('ES256');
    const { kid: _kid, alg: _alg, use: _use, ...bare } = generated.publicJwk;
    const options = keyringOptionsFromSettings({
      algorithm: 'ES256',
      signingKey: generateSigningKey('ES256').privateKeyPem,
      previousSigningKeys: JSON.stringify({ keys: [bare] }),
    });
    expect(createKeyring(options).find(generated.kid)?.alg).toBe('ES256');
    const withPrivate = JSON.stringify({ keys: [generated.privateJwk] });
    expect(() =>
      keyringOptionsFromSettings({
        algorithm: 'ES256',
        signingKey: generateSigningKey('ES256').privateKeyPem,
        previousSigningKeys: withPrivate,
      }),
    ).not.toThrow();
  });

  const signingKey = generateSigningKey('EdDSA').privateKeyPem;
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({
    format: 'jwk',
  });
  const ed = generateSigningKey('EdDSA').publicJwk;

  it.each([
    ['text that is not JSON', 'not json', 'must be JWKS JSON'],
    ['a JSON array', '[]', 'must be JWKS JSON'],
    ['keys that are not objects', '{"keys":["a"]}', 'must be JWKS JSON'],
    [
      'a P-384 key',
      JSON.stringify({ keys: [p384] }),
      'KEYWARD_JWT_PREVIOUS_SIGNING_KEYS key 1 must be an Ed25519 key',
    ],
    [
      'an alg that contradicts the curve',
      JSON.stringify({ keys: [{ ...ed, alg: 'ES256' }] }),
      'key 1 must be',
    ],
    [
      'a kid that is not the thumbprint',
      JSON.stringify({ keys: [{ ...ed, kid: 'k1' }] }),
      'has kid "k1" but its RFC 7638 thumbprint is',
    ],
  ])('rejects previous signing keys with %s', (_, previousSigningKeys, message) => {
    expectInvalid({ algorithm: 'EdDSA', signingKey, previousSigningKeys }, message, [signingKey]);
  });
});
