import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { KeywardError } from '../errors/index.js';
import { jwkThumbprint, toPublicJwk } from './key-material.js';
import type { AsymmetricAlgorithm, PublicJwk } from './types.js';

/** A new signing key in the forms the settings and the JWKS use. The private parts are secret. */
export interface GeneratedSigningKey {
  alg: AsymmetricAlgorithm;
  /** RFC 7638 thumbprint of the public key, the `kid` of the tokens it signs. */
  kid: string;
  /** PKCS#8 PEM, for KEYWARD_JWT_SIGNING_KEY or KEYWARD_JWT_SIGNING_KEY_FILE. */
  privateKeyPem: string;
  /** The same private key as a JWK, one line of JSON that fits an environment file. */
  privateJwk: JsonWebKey & { kid: string; alg: AsymmetricAlgorithm };
  /** The public half, as in the JWKS; KEYWARD_JWT_PREVIOUS_SIGNING_KEYS accepts it. */
  publicJwk: PublicJwk;
}

/**
 * Generates an Ed25519 (EdDSA) or P-256 (ES256) key pair. Raises `validation_failed` for
 * another algorithm.
 */
export function generateSigningKey(alg: AsymmetricAlgorithm): GeneratedSigningKey {
  const { privateKey, publicKey } = generateKeyPair(alg);
  const kid = jwkThumbprint(publicKey);
  return {
    alg,
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg },
    publicJwk: toPublicJwk(publicKey, kid, alg),
  };
}

function generateKeyPair(alg: AsymmetricAlgorithm) {
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519');
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  throw new KeywardError(
    'validation_failed',
    'Signing keys are generated for EdDSA or ES256 only.',
  );
}
