import type { JWTVerifyGetKey } from 'jose';
import { type JWTVerifyOptions, jwtVerify } from 'jose';
import { AUDIENCE, ISSUER, NOW_MS } from './helpers.js';

/**
 * jose options that express keyward's default policy as far as jose can: allowed algorithms,
 * exact `iss`, `aud` match, `typ` at+jwt, required claims and a 30 s tolerance. Other tests,
 * such as one against the JWKS route, can verify keyward tokens with it.
 */
export function josePolicy(
  algorithms: string[],
  options: { issuer?: string; audience?: string; nowMs?: number } = {},
): JWTVerifyOptions {
  return {
    algorithms,
    issuer: options.issuer ?? ISSUER,
    audience: options.audience ?? AUDIENCE,
    typ: 'at+jwt',
    requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub', 'jti'],
    clockTolerance: 30,
    currentDate: new Date(options.nowMs ?? NOW_MS),
  };
}

/** Returns whether jose accepts the token under josePolicy with keys from `getKey`. */
export async function joseAccepts(
  token: string,
  getKey: JWTVerifyGetKey,
  algorithms: string[],
): Promise<boolean> {
  try {
    await jwtVerify(token, getKey, josePolicy(algorithms));
    return true;
  } catch {
    return false;
  }
}
