// Detection of HMAC tokens signed with a well-known secret, by trying each one locally.

import { weakSecrets } from '../secrets/weak-secrets.js';
import type { DecodedJwt } from './decode.js';

const hashByAlgorithm: Record<string, string> = {
  HS256: 'SHA-256',
  HS384: 'SHA-384',
  HS512: 'SHA-512',
};

/**
 * Tells whether an HS256, HS384 or HS512 token was signed with a secret from the built-in weak
 * list, trying each one with WebCrypto (Node and browsers alike). Returns false for every other
 * algorithm. It reveals no secret: the caller learns only that one matched.
 */
export async function isSignedWithWeakSecret(decoded: DecodedJwt): Promise<boolean> {
  const hash =
    typeof decoded.header.alg === 'string' ? hashByAlgorithm[decoded.header.alg] : undefined;
  if (!hash || decoded.signature.length === 0) return false;

  const data = new TextEncoder().encode(decoded.signingInput);
  for (const secret of weakSecrets) {
    if (await signatureMatches(secret, hash, decoded.signature, data)) return true;
  }
  return false;
}

async function signatureMatches(
  secret: string,
  hash: string,
  signature: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const keyBytes = new TextEncoder().encode(secret);
  // WebCrypto rejects a zero-length HMAC key, and an empty secret is not on the list anyway.
  if (keyBytes.length === 0) return false;
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    keyBytes,
    { name: 'HMAC', hash },
    false,
    ['verify'],
  );
  return globalThis.crypto.subtle.verify('HMAC', key, signature, data);
}
