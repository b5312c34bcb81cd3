import { KeywardError } from '../errors/index.js';
import { andThen, type MaybePromise } from '../maybe-promise.js';
import { type RateLimitDecision, rateLimitHeaders } from '../ratelimit/index.js';
import type { Credential } from './credentials.js';
import type { Principal, UserPrincipal } from './principal.js';

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
  scopes: readonly string[];
  retryAfterMs?: number;
  decision?: RateLimitDecision | null;
  /** Whose limit `decision` is: the key's own, or its owner's across all their keys. */
  limitedBy?: 'key' | 'owner' | null;
}

export interface AuthenticatorOptions {
  /** Verifies an access token; raises `invalid_token`. */
  verifyAccessToken(token: string): VerifiedClaims;
  /**
   * Returns the principal of an access token that `verifyAccessToken` accepted before and would
   * accept now without running its checks again (a cache hit), and undefined otherwise.
   */
  lookupAccessToken?(token: string): UserPrincipal | undefined;
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
export interface Authenticator {
  (credential: Credential): MaybePromise<Principal>;
  /**
   * Returns the principal of an `Authorization` header of exactly `Bearer <token>` whose token
   * `lookupAccessToken` finds, and undefined for any other header. It raises nothing: the
   * caller passes a header it returns undefined for through `extractCredential` and calls the
   * authenticator, which gives the error if there is one.
   */
  cachedBearer(authorization: string): Principal | undefined;
}

/**
 * Builds the one authenticator of keyward: a bearer JWT, a bearer API key or an X-API-Key
 * becomes a principal. Raises `invalid_token`, `invalid_api_key`, `rate_limited` or
 * `usage_exceeded`: thrown when the result came without I/O, else through the promise.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { verifyAccessToken, verifyApiKey, looksLikeApiKey, lookupAccessToken } = options;

  function toPrincipal(result: KeyVerification): Principal {
    const rateLimitPolicy = result.limitedBy === 'owner' ? ownerPolicyName : keyPolicyName;
    if (result.valid && result.keyId) {
      const rateLimit = result.decision ?? null;
      return {
        type: 'api_key',
        id: result.keyId,
        userId: result.userId,
        scopes: result.scopes,
        rateLimit,
        rateLimitPolicy,
      };
    }
    if (result.code === 'RATE_LIMITED') {
      throw new KeywardError('rate_limited', 'api key rate limited', {
        detail:
          result.limitedBy === 'owner'
            ? "The key's owner is over the rate limit shared by all their keys, so another of " +
              'their keys is limited too. Retry after the seconds in Retry-After.'
            : 'This API key is over its rate limit. Retry after the seconds in Retry-After.',
        retryAfterMs: result.retryAfterMs ?? 1000,
        reason: result.code,
        ...(result.decision
          ? { headers: { ...rateLimitHeaders(result.decision, rateLimitPolicy) } }
          : {}),
      });
    }
    if (result.code === 'USAGE_EXCEEDED') {
      throw new KeywardError('usage_exceeded', 'api key credits spent', {
        detail:
          'This API key has no credits left. Wait for its next refill, if it has one, or use another key.',
        reason: result.code,
      });
    }
    // Which check failed is logged, not returned: the client learns only that the key is bad.
    throw new KeywardError('invalid_api_key', 'api key rejected', { reason: result.code });
  }

  const authenticate = (credential: Credential): MaybePromise<Principal> => {
    if (credential.kind === 'api_key' || looksLikeApiKey(credential.value)) {
      return andThen(verifyApiKey(credential.value), toPrincipal);
    }
    return userPrincipal(verifyAccessToken(credential.value));
  };

  // A hit means the same string passed `extractCredential` and every check of the verifier
  // before, so neither needs to run again. The scheme is matched case-sensitively here, and
  // other spellings take the full path.
  const cachedBearer = (authorization: string): Principal | undefined => {
    if (lookupAccessToken === undefined || !authorization.startsWith('Bearer ')) return undefined;
    return lookupAccessToken(authorization.slice(bearerPrefixLength));
  };

  return Object.assign(authenticate, { cachedBearer });
}

const bearerPrefixLength = 'Bearer '.length;

/** Names of the rate-limit policies in the RateLimit and RateLimit-Policy headers. */
const keyPolicyName = 'api-key';
const ownerPolicyName = 'user';

/** Builds the principal of a user from the claims of a verified access token. */
export function userPrincipal(claims: VerifiedClaims): UserPrincipal {
  return {
    type: 'user',
    id: claims.sub,
    userId: claims.sub,
    scopes: claims.scope ? claims.scope.split(' ') : [],
    tokenId: claims.jti,
  };
}

/** Builds `userPrincipal` frozen with its scopes, for sharing between requests. */
export function frozenUserPrincipal(claims: VerifiedClaims): Readonly<UserPrincipal> {
  const principal = userPrincipal(claims);
  Object.freeze(principal.scopes);
  return Object.freeze(principal);
}
