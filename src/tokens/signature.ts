import { createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import type { SigningAlgorithm } from './types.js';

/** Checks a decoded signature over an ASCII signing input; returns false instead of throwing. */
export type SignatureVerifier = (signingInput: string, signature: Buffer) => boolean;

/** Signs an ASCII signing input and returns the base64url signature. */
export type Signer = (signingInput: string) => string;

/** Signature lengths in bytes: HMAC-SHA256, Ed25519 (RFC 8032), P-256 r||s (RFC 7518 3.4). */
const SIGNATURE_BYTES: Record<SigningAlgorithm, number> = { HS256: 32, EdDSA: 64, ES256: 64 };

/** Creates the verifier of `alg` for a secret (HS256) or a public key. */
export function createSignatureVerifier(alg: SigningAlgorithm, key: KeyObject): SignatureVerifier {
  const length = SIGNATURE_BYTES[alg];
  if (alg === 'HS256') {
    return (input, signature) =>
      signature.length === length &&
      timingSafeEqual(createHmac('sha256', key).update(input).digest(), signature);
  }

  const algorithm = alg === 'ES256' ? 'sha256' : null;
  // JWS carries ECDSA signatures as r||s (IEEE P1363), not DER (RFC 7518 section 3.4).
  const keySpec = { key, dsaEncoding: 'ieee-p1363' as const };
  return (input, signature) => {
    if (signature.length !== length) return false;
    if (alg === 'ES256' && hasZeroHalf(signature)) return false;
    try {
      return verify(algorithm, Buffer.from(input, 'latin1'), keySpec, signature);
    } catch {
      return false;
    }
  };
}

/** Creates the signer of `alg` for a secret (HS256) or a private key. */
export function createSigner(alg: SigningAlgorithm, key: KeyObject): Signer {
  if (alg === 'HS256') {
    return (input) => createHmac('sha256', key).update(input).digest('base64url');
  }
  const algorithm = alg === 'ES256' ? 'sha256' : null;
  const keySpec = { key, dsaEncoding: 'ieee-p1363' as const };
  return (input) => sign(algorithm, Buffer.from(input, 'latin1'), keySpec).toString('base64url');
}

/**
 * Tells whether r or s is zero. Such a signature is never valid, and a verifier that let it
 * through would accept it for every message (CVE-2022-21449, "psychic signatures"). OpenSSL
 * rejects it too; the explicit check keeps that guarantee independent of the library.
 */
function hasZeroHalf(signature: Buffer): boolean {
  return isZero(signature, 0, 32) || isZero(signature, 32, 64);
}

function isZero(bytes: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (bytes[index] !== 0) return false;
  }
  return true;
}
