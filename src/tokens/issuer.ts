import { randomBytes } from 'node:crypto';
import { KeywardError } from '../errors/index.js';
import { encodeBase64url } from './base64url.js';
import type { AccessTokenClaims, Keyring } from './types.js';

/** Default access token lifetime: 15 minutes. */
export const DEFAULT_TTL_SECONDS = 900;

/** Longest allowed lifetime: one day. Longer-lived access tokens defeat key rotation. */
export const MAX_TTL_SECONDS = 86_400;

/** A scope token: printable ASCII except space, `"` and `\` (RFC 6749 section 3.3). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export interface AccessTokenIssuerOptions {
  keyring: Keyring;
  /** Value of `iss`. */
  issuer: string;
  /** Value of `aud`, issued as a single string. */
  audience: string;
  /** Lifetime in seconds, 1 to 86400; default 900. */
  ttlSeconds?: number;
  /** Clock in milliseconds since the Unix epoch; default Date.now. */
  now?: () => number;
}

export interface AccessTokenRequest {
  /** The subject, a user id. */
  sub: string;
  /** Granted scopes, as a list or a space-separated string. */
  scope: string | readonly string[];
  /** Token id; default 128 random bits in base64url. */
  jti?: string;
  /** Session id, written as the `sid` claim when given. */
  sid?: string;
}

export interface IssuedAccessToken {
  token: string;
  claims: AccessTokenClaims;
  /** Lifetime in seconds, for the `expiresIn` of a session. */
  expiresIn: number;
}

export interface AccessTokenIssuer {
  /** Signs an access token for a subject; raises `validation_failed` on an invalid request. */
  issue(request: AccessTokenRequest): IssuedAccessToken;
}

/**
 * Creates the issuer of RFC 9068 access tokens signed by the keyring's active key, with header
 * `{alg, typ: "at+jwt", kid}`. Raises `validation_failed` for invalid options.
 */
export function createAccessTokenIssuer(options: AccessTokenIssuerOptions): AccessTokenIssuer {
  const { keyring, issuer, audience, ttlSeconds, now } = validateOptions(options);
  const key = keyring.active;
  const header = encodeBase64url(JSON.stringify({ alg: key.alg, typ: 'at+jwt', kid: key.kid }));

  const issue = (request: AccessTokenRequest): IssuedAccessToken => {
    const sub = requireText(request?.sub, 'sub');
    const scope = formatScope(request.scope);
    const jti = request.jti === undefined ? randomBytes(16).toString('base64url') : request.jti;
    requireText(jti, 'jti');

    const iat = Math.floor(now() / 1000);
    const claims: AccessTokenClaims = {
      iss: issuer,
      sub,
      aud: audience,
      iat,
      exp: iat + ttlSeconds,
      jti,
      scope,
    };
    if (request.sid !== undefined) claims.sid = requireText(request.sid, 'sid');
    const signingInput = `${header}.${encodeBase64url(JSON.stringify(claims))}`;
    return { token: `${signingInput}.${key.sign(signingInput)}`, claims, expiresIn: ttlSeconds };
  };
  return { issue };
}

function validateOptions(options: AccessTokenIssuerOptions) {
  const { keyring, issuer, audience, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now } = options;
  if (typeof keyring?.active?.sign !== 'function') {
    invalid('Access token issuer: keyring must come from createKeyring.');
  }
  requireText(issuer, 'issuer');
  requireText(audience, 'audience');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    invalid(`Access token issuer: ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}.`);
  }
  if (typeof now !== 'function') invalid('Access token issuer: now must be a function.');
  return { keyring, issuer, audience, ttlSeconds, now };
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') invalid(`${name} must be a non-empty string.`);
  return value;
}

/** Joins scope tokens with single spaces after checking each (RFC 6749 section 3.3). */
function formatScope(scope: string | readonly string[]): string {
  const tokens = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : scope;
  if (!Array.isArray(tokens)) invalid('scope must be a string or an array of strings.');
  for (const token of tokens) {
    if (typeof token !== 'string' || !SCOPE_TOKEN.test(token)) {
      invalid('scope tokens must be printable ASCII without spaces, quotes or backslashes.');
    }
  }
  return tokens.join(' ');
}

function invalid(message: string): never {
  throw new KeywardError('validation_failed', message);
}
