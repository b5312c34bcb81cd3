import { decodeBase64url } from './base64url.js';
import { parseJsonObject } from './json-object.js';
import { rejectToken } from './reject.js';
import type { Keyring, VerificationKey } from './types.js';

/**
 * Header parameters an access token may carry. Everything else is rejected. Extensions would
 * need `crit`, and keys must come from the keyring, never from the token (RFC 8725 3.10).
 */
const ALLOWED_PARAMETERS = new Set(['alg', 'typ', 'kid']);

/** Parameters that carry or point to a key (RFC 7515 4.1.2, 4.1.3 and 4.1.5 to 4.1.8). */
const EMBEDDED_KEY_PARAMETERS = new Set(['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256']);

/**
 * Validates the protected header segment of an access token and returns the keyring key that
 * must verify it. Raises KeywardError `invalid_token`.
 */
export function resolveHeaderKey(segment: string, keyring: Keyring): VerificationKey {
  const bytes = decodeBase64url(segment) ?? rejectToken('malformed_base64url');
  const header = parseJsonObject(bytes);
  checkParameterNames(header);

  const alg = checkAlg(header.alg, keyring);
  checkTyp(header.typ);
  const key = findKey(header.kid, keyring);
  // The kid picks a key of one type, so an HS256 header cannot make a public key act as an
  // HMAC secret, nor EdDSA verify against an ES256 key (RFC 8725 section 2.1).
  if (key.alg !== alg) rejectToken('alg_key_mismatch');
  return key;
}

function checkParameterNames(header: Record<string, unknown>): void {
  for (const name of Object.keys(header)) {
    if (ALLOWED_PARAMETERS.has(name)) continue;
    if (EMBEDDED_KEY_PARAMETERS.has(name)) rejectToken('embedded_key');
    // No extension is understood, so any `crit` must be rejected (RFC 7515 4.1.11).
    if (name === 'crit') rejectToken('crit_not_supported');
    // An unencoded payload (RFC 7797) must never be accepted as a JWT.
    if (name === 'b64') rejectToken('b64_not_supported');
    // `cty: JWT` marks a nested token (RFC 7519 5.2); keyward issues none, so none is valid.
    if (name === 'cty' && isNestedTokenType(header.cty)) rejectToken('nested_token');
    rejectToken('header_parameter_not_allowed');
  }
}

function isNestedTokenType(cty: unknown): boolean {
  return typeof cty === 'string' && cty.toLowerCase() === 'jwt';
}

/** Returns the header `alg` when it is one of the keyring's algorithms, compared exactly. */
function checkAlg(alg: unknown, keyring: Keyring): string {
  if (alg === undefined) return rejectToken('alg_missing');
  // `none` is named apart from other unknown values so logs show the attack (RFC 8725 3.1).
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') return rejectToken('alg_none');
  if (typeof alg !== 'string' || !(keyring.algorithms as readonly string[]).includes(alg)) {
    return rejectToken('alg_not_allowed');
  }
  return alg;
}

/**
 * Requires the RFC 9068 type `at+jwt`, so an ID token or another JWT signed by the same key is
 * not taken for an access token (RFC 8725 3.11). Media types are case-insensitive and may
 * omit `application/` (RFC 7515 4.1.9), so `application/AT+JWT` is accepted too.
 */
function checkTyp(typ: unknown): void {
  if (typ === undefined) rejectToken('typ_missing');
  if (typeof typ !== 'string') rejectToken('typ_not_allowed');

  const type = typ.toLowerCase();
  if (type !== 'at+jwt' && type !== 'application/at+jwt') rejectToken('typ_not_allowed');
}

function findKey(kid: unknown, keyring: Keyring): VerificationKey {
  if (kid === undefined) return rejectToken('kid_missing');
  const key = typeof kid === 'string' ? keyring.find(kid) : undefined;
  return key ?? rejectToken('kid_unknown');
}
