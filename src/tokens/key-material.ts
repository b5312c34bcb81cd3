import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  KeyObject,
} from 'node:crypto';
import { KeywardError } from '../errors/index.js';
import { encodeBase64url } from './base64url.js';
import type { AsymmetricAlgorithm, AsymmetricKeyInput, PublicJwk, SecretInput } from './types.js';

/** Minimum HS256 secret length in bytes: the SHA-256 output size (RFC 7518 section 3.2). */
export const MIN_SECRET_BYTES = 32;

const KEY_TYPE_BY_ALG = { EdDSA: 'ed25519', ES256: 'ec' } as const;
const KEY_NAME_BY_ALG = { EdDSA: 'an Ed25519', ES256: 'a P-256' } as const;

function invalidKey(message: string): KeywardError {
  return new KeywardError('validation_failed', message);
}

/**
 * Imports an HS256 secret; a string counts as its UTF-8 bytes. Raises `validation_failed`
 * naming `source` when it is shorter than 32 bytes or has surrounding whitespace, which an
 * environment file often adds by mistake. The message never contains the secret.
 */
export function importSecret(secret: SecretInput, source: string): KeyObject {
  if (typeof secret === 'string' && secret.trim() !== secret) {
    throw invalidKey(`${source} starts or ends with whitespace; remove it.`);
  }
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw invalidKey(
      `${source} is shorter than ${MIN_SECRET_BYTES} bytes, the minimum for HS256 ` +
        '(RFC 7518 section 3.2). Use at least 32 random bytes, ' +
        'e.g. from `keyward secret generate`.',
    );
  }
  return createSecretKey(bytes);
}

/** Imports the private key that signs, as PEM (PKCS#8), JWK text, a JWK or a KeyObject. */
export function importPrivateKey(
  input: AsymmetricKeyInput,
  alg: AsymmetricAlgorithm,
  source: string,
): KeyObject {
  let key: KeyObject;
  try {
    key = input instanceof KeyObject ? input : createPrivateKey(toKeyDescription(input));
  } catch {
    throw invalidKey(
      `${source} is not a readable private key; give an unencrypted PKCS#8 PEM or a private JWK.`,
    );
  }
  if (key.type !== 'private') {
    throw invalidKey(`${source} is not a private key; the signing key must be one.`);
  }
  checkKeyType(key, alg, source);
  return key;
}

/** Imports a key that only verifies: public or private, in the forms of importPrivateKey. */
export function importPublicKey(
  input: AsymmetricKeyInput,
  alg: AsymmetricAlgorithm,
  source: string,
): KeyObject {
  let key: KeyObject;
  try {
    key = input instanceof KeyObject ? input : createPublicKey(toKeyDescription(input));
    if (key.type !== 'public') key = createPublicKey(key);
  } catch {
    throw invalidKey(`${source} is not a readable key; give a PEM (SPKI or PKCS#8) or a JWK.`);
  }
  checkKeyType(key, alg, source);
  return key;
}

function toKeyDescription(input: Exclude<AsymmetricKeyInput, KeyObject>) {
  if (typeof input !== 'string') return { key: input as JsonWebKey, format: 'jwk' as const };
  if (input.trimStart().startsWith('{')) {
    return { key: JSON.parse(input) as JsonWebKey, format: 'jwk' as const };
  }
  return input;
}

/** Rejects a key of another type, so one algorithm can never verify with another's key. */
function checkKeyType(key: KeyObject, alg: AsymmetricAlgorithm, source: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const matches =
    key.asymmetricKeyType === KEY_TYPE_BY_ALG[alg] && (alg !== 'ES256' || curve === 'prime256v1');
  if (!matches) {
    throw invalidKey(`${source} is not ${KEY_NAME_BY_ALG[alg]} key, which ${alg} requires.`);
  }
}

/**
 * Derives the `kid` of an HMAC secret: HMAC-SHA256(secret, "keyward kid v1"), first 16 bytes,
 * base64url. The kid is public. A plain SHA-256 of the secret would be an offline oracle of
 * its own. Keyed as an HMAC, testing a guessed secret against the kid costs as much as
 * testing it against a token's signature, which every token already allows.
 * 128 bits keep kids short, and two secrets collide with negligible probability.
 */
export function secretKid(secret: KeyObject): string {
  const tag = createHmac('sha256', secret).update('keyward kid v1').digest();
  return encodeBase64url(tag.subarray(0, 16));
}

/** Returns the public JWK of a key as published in the JWKS: key members, then kid, alg, use. */
export function toPublicJwk(
  publicKey: KeyObject,
  kid: string,
  alg: AsymmetricAlgorithm,
): PublicJwk {
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const members = (y === undefined ? { kty, crv, x } : { kty, crv, x, y }) as Pick<
    PublicJwk,
    'kty' | 'crv' | 'x' | 'y'
  >;
  return { ...members, kid, alg, use: 'sig' };
}

/**
 * Computes the RFC 7638 JWK thumbprint (SHA-256, base64url): the required members of the
 * public key in lexicographic order, without whitespace.
 */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
