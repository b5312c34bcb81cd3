import { KeywardError } from '../errors/index.js';
import { andThen, type MaybePromise } from '../maybe-promise.js';
import { type RateLimitDecision, rateLimitHeaders } from '../ratelimit/index.js';
import type { Credential } from './credentials.js';
import type { Principal } from './principal.js';

/** Verified claims that the authenticator reads from an access token. */
export interface VerifiedClaims {
  sub: string;
  jti: string;
  scope?: string;
}

/** The part of an API-key verification result that the authenticator reads. */
export interface KeyVerification {
  valid: boolean;
  code: string;
  keyId: string | null;
  userId: string | null;
  scopes: string[];
  retryAfterMs?: number;
  decision?: RateLimitDecision | null;
}

export interface AuthenticatorOptions {
  /** Verifies an access token; raises `invalid_token`. */
  verifyAccessToken(token: string): VerifiedClaims;
  /**
   * Verifies an API key, spending one request of its rate limit and credits. Returns the result
   * itself when no I/O was needed, else a promise of it.
   */
  verifyApiKey(plaintextKey: string): MaybePromise<KeyVerification>;
  /** Tells whether a bearer value has the shape of an API key rather than a JWT. */
  looksLikeApiKey(value: string): boolean;
}

/**
 * Turns a credential into a principal. When no I/O is needed (an access token, or an API key
 * served from the cache under an in-memory rate limit) the principal is returned or an error
 * thrown at once. Otherwise the result is a promise, which rejects with the error.
 */
export type Authenticator = (credential: Credential) => MaybePromise<Principal>;

/**
 * Builds the one authenticator of keyward: a bearer JWT, a bearer API key or an X-API-Key
 * becomes a principal. Raises `invalid_token`, `invalid_api_key`, `rate_limited` or
 * `usage_exceeded`: thrown when the result came without I/O, else through the promise.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { verifyAccessToken, verifyApiKey, looksLikeApiKey } = options;

  function toPrincipal(result: KeyVerification): Principal {
    if (result.valid && result.keyId) {
      const rateLimit = result.decision ?? null;
      return {
        type: 'api_key',
        id: result.keyId,
        userId: result.userId,
        scopes: result.scopes,
        rateLimit,
      };
    }
    if (result.code === 'RATE_LIMITED') {
      throw new KeywardError('rate_limited', 'api key rate limited', {
        retryAfterMs: result.retryAfterMs ?? 1000,
        reason: result.code,
        ...(result.decision
          ? { headers: { ...rateLimitHeaders(result.decision, 'api-key') } }
          : {}),
      });
    }
    if (result.code === 'USAGE_EXCEEDED') {
      throw new KeywardError('usage_exceeded', 'api key credits spent', { reason: result.code });
    }
    // Which check failed is logged, not returned: the client learns only that the key is bad.
    throw new KeywardError('invalid_api_key', 'api key rejected', { reason: result.code });
  }

  return (credential) => {
    if (credential.kind === 'api_key' || looksLikeApiKey(credential.value)) {
      return andThen(verifyApiKey(credential.value), toPrincipal);
    }
    const claims = verifyAccessToken(credential.value);
    return {
      type: 'user',
      id: claims.sub,
      userId: claims.sub,
      scopes: claims.scope ? claims.scope.split(' ') : [],
      tokenId: claims.jti,
    };
  };
}
