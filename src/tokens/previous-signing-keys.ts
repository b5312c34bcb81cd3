import { KeywardError } from '../errors/index.js';
import { importPublicKey, jwkThumbprint } from './key-material.js';
import type { AsymmetricAlgorithm, KeyInput } from './types.js';

// KEYWARD_JWT_PREVIOUS_SIGNING_KEYS contains a JWKS so that the published /.well-known/jwks.json,
// or the public JWKS printed by `keyward signing-key generate`, can be pasted in unchanged.
// Verify-only keys need no private part; a private JWK is accepted and only its public half
// is used.

/** Parses a JWKS of verify-only keys; `alg` is taken from each JWK or from its curve. */
export function parsePreviousSigningKeys(text: string | undefined): KeyInput[] {
  if (text === undefined) return [];
  const keys = parseJwks(text);
  return keys.map((jwk, index) => {
    const source = `KEYWARD_JWT_PREVIOUS_SIGNING_KEYS key ${index + 1}`;
    const alg = algorithmOfJwk(jwk, source);
    checkKid(jwk, alg, source);
    return { alg, key: jwk, source };
  });
}

function parseJwks(text: string): Record<string, unknown>[] {
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    jwks = undefined;
  }
  const keys = (jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null)) {
    invalid(
      'KEYWARD_JWT_PREVIOUS_SIGNING_KEYS must be JWKS JSON, {"keys":[{...},...]}, ' +
        'such as the output of /.well-known/jwks.json.',
    );
  }
  return keys;
}

function algorithmOfJwk(jwk: Record<string, unknown>, source: string): AsymmetricAlgorithm {
  const byCurve =
    jwk.kty === 'OKP' && jwk.crv === 'Ed25519'
      ? 'EdDSA'
      : jwk.kty === 'EC' && jwk.crv === 'P-256'
        ? 'ES256'
        : undefined;
  if (byCurve === undefined || (jwk.alg !== undefined && jwk.alg !== byCurve)) {
    invalid(`${source} must be an Ed25519 key with alg EdDSA or a P-256 key with alg ES256.`);
  }
  return byCurve;
}

/** Tokens carry the RFC 7638 thumbprint as kid, so a different `kid` means a foreign key. */
function checkKid(jwk: Record<string, unknown>, alg: AsymmetricAlgorithm, source: string): void {
  if (jwk.kid === undefined) return;
  const thumbprint = jwkThumbprint(importPublicKey(jwk, alg, source));
  if (jwk.kid !== thumbprint) {
    invalid(
      `${source} has kid "${String(jwk.kid)}" but its RFC 7638 thumbprint is "${thumbprint}"; ` +
        'keyward uses the thumbprint as kid, so remove or correct the kid.',
    );
  }
}

function invalid(message: string): never {
  throw new KeywardError('validation_failed', message);
}
