import type { RateLimitDecision } from '../ratelimit/index.js';

/** Maker of a request: a user with an access token, or a caller with an API key. */
export type Principal = UserPrincipal | ApiKeyPrincipal;

export interface UserPrincipal {
  type: 'user';
  /** The user id (`usr_…`). */
  id: string;
  userId: string;
  scopes: readonly string[];
  /** `jti` of the access token, for logs. */
  tokenId: string;
}

export interface ApiKeyPrincipal {
  type: 'api_key';
  /** The key id (`key_…`). */
  id: string;
  /** Owner of the key; null for a service key. */
  userId: string | null;
  scopes: readonly string[];
  /** The key's rate-limit decision for this request, for the RateLimit headers. */
  rateLimit: RateLimitDecision | null;
  /**
   * Name of the policy `rateLimit` belongs to in the RateLimit headers: `api-key` for the key's
   * own limit, `user` for the owner's limit across all their keys.
   */
  rateLimitPolicy: string;
}

/** Tells whether the principal has every scope in `required`. */
export function hasScopes(principal: Principal, required: readonly string[]): boolean {
  return required.every((scope) => principal.scopes.includes(scope));
}
