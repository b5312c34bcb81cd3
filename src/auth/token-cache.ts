import { hash } from 'node:crypto';

/** Options of `cacheVerifiedTokens`. */
export interface VerifiedTokenCacheOptions {
  /** Maximum cached tokens (default 10 000). Past it the oldest entry is dropped. */
  maxEntries?: number;
  /** Clock skew that the wrapped verifier tolerates on `exp`, in seconds (0 to 60). */
  clockSkewSeconds: number;
  /** Clock in epoch ms (default `Date.now`). It must be the clock of the wrapped verifier. */
  now?: () => number;
}

/** A verifier with a cache in front, plus read-only views for tests and diagnostics. */
export interface CachedTokenVerifier<Claims> {
  verify(token: string): Claims;
  /** Number of entries, expired ones included until a hit or an eviction removes them. */
  readonly size: number;
  /** The cache keys: SHA-256 digests of the tokens, base64-encoded. */
  keys(): IterableIterator<string>;
}

interface Entry<Claims> {
  claims: Claims;
  /** First epoch ms at which the verifier accepts the token's `iat` and `nbf`. */
  acceptedFromMs: number;
  /** First epoch ms at which the verifier rejects the token as expired. */
  rejectedFromMs: number;
}

/** Returns the cache key of a token: its SHA-256 digest, so no token is held in memory. */
export function tokenCacheKey(token: string): string {
  return hash('sha256', token, 'base64');
}

/**
 * Wraps a synchronous access-token verifier with a bounded per-instance cache of tokens that
 * passed every check. Only successes are cached, so a rejected token runs every check again.
 * An entry is used until `exp` plus the clock skew, the moment the verifier starts to reject
 * the token as expired, and the returned claims are frozen because requests share them. The
 * result depends on the token and the clock alone, which holds while the keyring is fixed for
 * the life of the process. A check on state that changes, such as the session denylist, must
 * wrap the returned `verify` so that it runs on every call, hits included. A hit also checks
 * `iat` and `nbf` again, so a token stays rejected as not yet valid after the clock steps back.
 */
export function cacheVerifiedTokens<Claims extends { exp: number; iat?: number; nbf?: number }>(
  verify: (token: string) => Claims,
  options: VerifiedTokenCacheOptions,
): CachedTokenVerifier<Claims> {
  const { maxEntries = 10_000, clockSkewSeconds, now = Date.now } = options;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  if (!Number.isSafeInteger(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new RangeError(`clockSkewSeconds must be a whole number of 0 or more`);
  }
  const entries = new Map<string, Entry<Claims>>();

  function remember(key: string, claims: Claims): void {
    if (entries.size >= maxEntries) {
      // Map iterates in insertion order, so the first key is the oldest entry.
      entries.delete(entries.keys().next().value as string);
    }
    // The verifier accepts while floor(now / 1000) - skew < exp, that is now < (exp + skew) s,
    // and while iat and nbf are at most floor(now / 1000) + skew.
    const rejectedFromMs = (claims.exp + clockSkewSeconds) * 1000;
    const notBefore = Math.max(claims.iat ?? 0, claims.nbf ?? 0);
    const acceptedFromMs = (notBefore - clockSkewSeconds) * 1000;
    entries.set(key, { claims: freezeClaims(claims), acceptedFromMs, rejectedFromMs });
  }

  return {
    verify(token) {
      const key = tokenCacheKey(token);
      const entry = entries.get(key);
      if (entry !== undefined) {
        const time = now();
        if (time < entry.rejectedFromMs) {
          // Before acceptedFromMs the verifier raises `not_yet_valid` or `issued_in_future`.
          if (time >= entry.acceptedFromMs) return entry.claims;
          return verify(token);
        }
        entries.delete(key);
      }
      const claims = verify(token);
      remember(key, claims);
      return claims;
    },
    get size() {
      return entries.size;
    },
    keys: () => entries.keys(),
  };
}

/** Freezes the claims object and its array or object members, such as an `aud` array. */
function freezeClaims<T>(value: T): T {
  for (const member of Object.values(value as object)) {
    if (typeof member === 'object' && member !== null) Object.freeze(member);
  }
  return Object.freeze(value);
}
