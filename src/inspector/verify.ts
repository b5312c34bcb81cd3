// Signature verification for the inspector, with jose (which runs in Node and browsers). It
// checks the signature only, and auditJwt judges the claims.

import * as jose from 'jose';
import { KeywardError } from '../errors/index.js';
import { type DecodedJwt, decodeJwt } from './decode.js';
import { signatureAlgorithms } from './header-findings.js';

/** The key to verify with: an HMAC secret, a public JWK or JWK Set, a PEM, or a key set function. */
export type VerificationKey =
  | { secret: string }
  | { jwk: jose.JWK | jose.JSONWebKeySet }
  | { pem: string }
  | { keySet: jose.JWTVerifyGetKey };

export interface SignatureVerification {
  valid: boolean;
  /** The token's `alg` header. */
  alg: string;
  /** The reason the signature was not accepted, for a person. Absent when valid. */
  reason?: string;
}

/**
 * Parses public-key text: a PEM when it has a BEGIN line, otherwise a JWK or JWK Set in JSON.
 * Raises `validation_failed` naming `source` (such as "The key file k.pem") for anything else.
 */
export function parsePublicKeyText(text: string, source: string): VerificationKey {
  if (text.includes('-----BEGIN')) return { pem: text };
  try {
    return { jwk: JSON.parse(text) };
  } catch {
    throw new KeywardError('validation_failed', `${source} is neither a PEM nor valid JWK JSON.`);
  }
}

// Private JWK members. Dropping them turns a pasted private key into its public half.
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv'];

/**
 * Verifies a token's signature with the given key and returns whether it matches. Raises
 * `invalid_token` for a token that cannot be decoded and `validation_failed` for a key that
 * cannot be used with the token's algorithm (a secret for RS256, a private PEM, a broken JWK).
 */
export async function verifyJwtSignature(
  token: string,
  key: VerificationKey,
): Promise<SignatureVerification> {
  const decoded = decodeJwt(token);
  const alg = typeof decoded.header.alg === 'string' ? decoded.header.alg : '';
  if (!signatureAlgorithms.includes(alg as (typeof signatureAlgorithms)[number])) {
    return {
      valid: false,
      alg,
      reason: `alg ${JSON.stringify(alg || 'missing')} has no signature to verify.`,
    };
  }

  const verificationKey = await resolveKey(key, alg);
  return verifyWith(decoded, alg, verificationKey);
}

async function verifyWith(
  decoded: DecodedJwt,
  alg: string,
  key: jose.CryptoKey | Uint8Array | jose.JWTVerifyGetKey,
): Promise<SignatureVerification> {
  const compact = decoded.signingInput + '.' + decoded.segments.signature;
  try {
    // The overloads for keys and for key functions differ, but both accept these options.
    await jose.compactVerify(compact, key as Uint8Array, { algorithms: [alg] });
    return { valid: true, alg };
  } catch (error) {
    return { valid: false, alg, reason: failureReason(error) };
  }
}

function failureReason(error: unknown): string {
  if (error instanceof jose.errors.JWSSignatureVerificationFailed)
    return 'The signature does not match this key.';
  if (error instanceof jose.errors.JWKSNoMatchingKey)
    return "No key in the key set matches the token's kid and alg.";
  // fetch raises TypeError when a remote key set cannot be reached, which is no verdict on the token.
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    throw new KeywardError(
      'service_unavailable',
      `The JWK Set could not be fetched: ${error.message}.`,
      {},
      { cause: error },
    );
  }
  if (error instanceof jose.errors.JWKSTimeout) {
    throw new KeywardError(
      'service_unavailable',
      'Fetching the JWK Set timed out.',
      {},
      { cause: error },
    );
  }
  if (error instanceof jose.errors.JOSEError || error instanceof TypeError)
    return `Verification failed: ${error.message}`;
  throw error;
}

async function resolveKey(
  key: VerificationKey,
  alg: string,
): Promise<jose.CryptoKey | Uint8Array | jose.JWTVerifyGetKey> {
  if ('keySet' in key) return key.keySet;
  if ('secret' in key) return secretKey(key.secret, alg);
  if ('pem' in key) return importPem(key.pem, alg);
  return importJwk(key.jwk, alg);
}

function secretKey(secret: string, alg: string): Uint8Array {
  if (!alg.startsWith('HS')) {
    throw unusable(`The token uses ${alg}, which needs a public key, not a secret.`);
  }
  if (secret === '') throw unusable('The secret is empty.');
  return new TextEncoder().encode(secret);
}

async function importPem(pem: string, alg: string): Promise<jose.CryptoKey> {
  const text = pem.trim();
  if (/PRIVATE KEY-----/.test(text)) {
    throw unusable('This is a private key. Paste the public key (BEGIN PUBLIC KEY) instead.');
  }
  try {
    if (text.includes('BEGIN CERTIFICATE')) return await jose.importX509(text, alg);
    return await jose.importSPKI(text, alg);
  } catch (error) {
    throw unusable(`The PEM key cannot be used with ${alg}: ${(error as Error).message}`, error);
  }
}

async function importJwk(jwk: jose.JWK | jose.JSONWebKeySet, alg: string) {
  if ('keys' in jwk && Array.isArray(jwk.keys))
    return jose.createLocalJWKSet(jwk as jose.JSONWebKeySet);
  const publicJwk = Object.fromEntries(
    Object.entries(jwk).filter(([name]) => !privateMembers.includes(name)),
  ) as jose.JWK;
  try {
    return await jose.importJWK(publicJwk, alg);
  } catch (error) {
    throw unusable(`The JWK cannot be used with ${alg}: ${(error as Error).message}`, error);
  }
}

function unusable(message: string, cause?: unknown): KeywardError {
  return new KeywardError('validation_failed', message, {}, { cause });
}
