import { rejectToken } from './reject.js';
import type { AccessTokenClaims } from './types.js';

/**
 * Latest accepted NumericDate: 9999-12-31T23:59:59Z in seconds. Later values are taken as
 * garbage (for example milliseconds sent as seconds) rather than as a distant time.
 */
export const MAX_NUMERIC_DATE = 253_402_300_799;

/** Claim requirements, fixed when the verifier is created. */
export interface ClaimsPolicy {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
}

/**
 * Checks a claims set against the policy at `nowSeconds` and returns the access token claims
 * (RFC 9068 section 2.2) in a fresh object. Only the known claims are copied, so members such
 * as `__proto__` or `constructor` never reach the caller. Raises KeywardError `invalid_token`.
 */
export function checkClaims(
  claims: Record<string, unknown>,
  policy: ClaimsPolicy,
  nowSeconds: number,
): AccessTokenClaims {
  const exp = readNumericDate(claims.exp, true);
  const iat = readNumericDate(claims.iat, true);
  const nbf = readNumericDate(claims.nbf, false);
  checkTimes(
    exp,
    iat,
    nbf,
    nowSeconds - policy.clockSkewSeconds,
    nowSeconds + policy.clockSkewSeconds,
  );

  if (claims.iss === undefined) rejectToken('claim_missing');
  if (claims.iss !== policy.issuer) rejectToken('issuer_mismatch');
  const aud = readAudience(claims.aud, policy.audience);
  const sub = readIdentifier(claims.sub);
  const jti = readIdentifier(claims.jti);
  const scope = readScope(claims.scope);
  const sid = readSessionId(claims.sid);

  const result: AccessTokenClaims = { iss: policy.issuer, sub, aud, iat, exp, jti, scope };
  if (nbf !== undefined) result.nbf = nbf;
  if (sid !== undefined) result.sid = sid;
  return result;
}

/**
 * Reads a NumericDate (RFC 7519 section 2). keyward accepts only integers from 0 to
 * MAX_NUMERIC_DATE: fractions, NaN, Infinity (JSON `1e999`) and negatives are rejected.
 */
function readNumericDate(value: unknown, required: true): number;
function readNumericDate(value: unknown, required: false): number | undefined;
function readNumericDate(value: unknown, required: boolean): number | undefined {
  if (value === undefined) return required ? rejectToken('claim_missing') : undefined;
  if (!Number.isSafeInteger(value)) return rejectToken('time_claim_invalid');

  const seconds = value as number;
  if (seconds < 0 || seconds > MAX_NUMERIC_DATE) return rejectToken('time_claim_invalid');
  return seconds;
}

/**
 * Applies the clock skew on both sides: `exp` must be after `earliest` (RFC 7519 4.1.4),
 * while `nbf` and `iat` may not be after `latest` (RFC 7519 4.1.5). A future `iat` means a
 * wrong clock or a forged token.
 */
function checkTimes(
  exp: number,
  iat: number,
  nbf: number | undefined,
  earliest: number,
  latest: number,
): void {
  if (exp <= earliest) rejectToken('expired');
  if (nbf !== undefined && nbf > latest) rejectToken('not_yet_valid');
  if (iat > latest) rejectToken('issued_in_future');
}

/**
 * Accepts the audience as a string or as an array of strings that contains it, compared
 * exactly (RFC 7519 4.1.3). An array with a non-string member is malformed and rejected.
 */
function readAudience(aud: unknown, audience: string): string | string[] {
  if (aud === undefined) return rejectToken('claim_missing');
  if (aud === audience) return aud;
  if (!Array.isArray(aud)) return rejectToken('audience_mismatch');

  let found = false;
  for (const member of aud) {
    if (typeof member !== 'string') rejectToken('claim_invalid');
    if (member === audience) found = true;
  }
  return found ? (aud as string[]) : rejectToken('audience_mismatch');
}

/** Reads `sub` or `jti`, which must be non-empty strings. */
function readIdentifier(value: unknown): string {
  if (value === undefined) return rejectToken('claim_missing');
  if (typeof value !== 'string' || value === '') return rejectToken('claim_invalid');
  return value;
}

/** Reads the optional `sid`, a non-empty string when present (OpenID Connect session id). */
function readSessionId(sid: unknown): string | undefined {
  if (sid === undefined) return undefined;
  return readIdentifier(sid);
}

/** Reads the optional `scope`, a space-separated string (RFC 9068 2.2.3, RFC 8693 4.2). */
function readScope(scope: unknown): string {
  if (scope === undefined) return '';
  if (typeof scope !== 'string') return rejectToken('claim_invalid');
  return scope;
}
