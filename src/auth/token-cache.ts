/** Options of `cacheVerifiedTokens`. */
export interface VerifiedTokenCacheOptions<Claims, Value> {
  /** Maximum cached tokens (default 10 000). Past it the oldest entry is dropped. */
  maxEntries?: number;
  /** Clock skew that the wrapped verifier tolerates on `exp`, in seconds (0 to 60). */
  clockSkewSeconds: number;
  /** Clock in epoch ms (default `Date.now`). It must be the clock of the wrapped verifier. */
  now?: () => number;
  /**
   * Builds the value that `lookup` returns for a token, once when the token is cached, so a
   * hit allocates nothing. By default it is the claims.
   */
  derive?: (claims: Claims) => Value;
}

/** A verifier with a cache in front, plus read-only views for tests and diagnostics. */
export interface CachedTokenVerifier<Claims, Value = Claims> {
  verify(token: string): Claims;
  /**
   * Returns the derived value of a token that is in the cache and still accepted at this
   * moment, and undefined otherwise, without running the verifier. A request path can try this
   * first and skip its own parsing of a credential that passed every check before.
   */
  lookup(token: string): Value | undefined;
  /** Number of entries, expired ones included until a hit or an eviction removes them. */
  readonly size: number;
}

interface Entry<Claims, Value> {
  /** The whole token, compared on every hit, since the map key is only its last characters. */
  token: string;
  claims: Claims;
  value: Value;
  /** First epoch ms at which the verifier accepts the token's `iat` and `nbf`. */
  acceptedFromMs: number;
  /** First epoch ms at which the verifier rejects the token as expired. */
  rejectedFromMs: number;
}

/**
 * Length of the map key taken from the end of a token, in characters. The end of a JWS is its
 * signature, so 16 base64url characters carry 96 bits that differ between tokens. Hashing them
 * for the map took a tenth of the time of hashing a whole token of 300 to 400 characters
 * (measured on Node 20). Two tokens that share the key only take turns in one entry, because a
 * hit compares the whole token.
 */
const keyLength = 16;

/**
 * Wraps a synchronous access-token verifier with a bounded per-instance cache of tokens that
 * passed every check. Only successes are cached, so a rejected token runs every check again.
 * An entry is used until `exp` plus the clock skew, the moment the verifier starts to reject
 * the token as expired, and the returned claims are frozen because requests share them. The
 * result depends on the token and the clock alone, which holds while the keyring is fixed for
 * the life of the process. A check on state that changes, such as the session denylist, must
 * wrap the returned `verify` so that it runs on every call, hits included. A hit also checks
 * `iat` and `nbf` again, so a token stays rejected as not yet valid after the clock steps back.
 *
 * The cache contains the tokens themselves (fast-jwt's cache hashes them by default). An access
 * token lives minutes, and anyone who can read this process's memory can also read the signing
 * keys in it, which forge any token. Hashing each token for its key cost 0.6 µs a request.
 */
export function cacheVerifiedTokens<
  Claims extends { exp: number; iat?: number; nbf?: number },
  Value = Claims,
>(
  verify: (token: string) => Claims,
  options: VerifiedTokenCacheOptions<Claims, Value>,
): CachedTokenVerifier<Claims, Value> {
  const {
    maxEntries = 10_000,
    clockSkewSeconds,
    now = Date.now,
    derive = (claims: Claims) => claims as unknown as Value,
  } = options;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  if (!Number.isSafeInteger(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new RangeError(`clockSkewSeconds must be a whole number of 0 or more`);
  }
  const entries = new Map<string, Entry<Claims, Value>>();

  function remember(key: string, token: string, claims: Claims): void {
    // A token that shares its key with an entry takes that entry's place.
    entries.delete(key);
    if (entries.size >= maxEntries) {
      // Map iterates in insertion order, so the first key is the oldest entry.
      entries.delete(entries.keys().next().value as string);
    }
    // The verifier accepts while floor(now / 1000) - skew < exp, that is now < (exp + skew) s,
    // and while iat and nbf are at most floor(now / 1000) + skew.
    const rejectedFromMs = (claims.exp + clockSkewSeconds) * 1000;
    const notBefore = Math.max(claims.iat ?? 0, claims.nbf ?? 0);
    const acceptedFromMs = (notBefore - clockSkewSeconds) * 1000;
    const frozen = freezeClaims(claims);
    entries.set(key, {
      token,
      claims: frozen,
      value: derive(frozen),
      acceptedFromMs,
      rejectedFromMs,
    });
  }

  /** Returns the entry of a token while the verifier would accept it, else undefined. */
  function find(token: string): Entry<Claims, Value> | undefined {
    const entry = entries.get(token.slice(-keyLength));
    if (entry === undefined || entry.token !== token) return undefined;
    const time = now();
    // Before acceptedFromMs the verifier raises `not_yet_valid` or `issued_in_future`, and from
    // rejectedFromMs on it raises `expired`, so those calls must reach the verifier.
    return time >= entry.acceptedFromMs && time < entry.rejectedFromMs ? entry : undefined;
  }

  return {
    verify(token) {
      const cached = find(token);
      if (cached !== undefined) return cached.claims;
      const key = token.slice(-keyLength);
      const entry = entries.get(key);
      if (entry !== undefined && entry.token === token && now() >= entry.rejectedFromMs) {
        entries.delete(key);
      }
      const claims = verify(token);
      remember(key, token, claims);
      return claims;
    },
    lookup: (token) => find(token)?.value,
    get size() {
      return entries.size;
    },
  };
}

/** Freezes the claims object and its array or object members, such as an `aud` array. */
function freezeClaims<T>(value: T): T {
  for (const member of Object.values(value as object)) {
    if (typeof member === 'object' && member !== null) Object.freeze(member);
  }
  return Object.freeze(value);
}
