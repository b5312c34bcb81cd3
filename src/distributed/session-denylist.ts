import { KeywardError } from '../errors/index.js';

/**
 * Revoked session ids of this instance. Access tokens are stateless, so a token of a revoked
 * session stays valid until `exp`; the authenticator rejects a token whose `sid` is listed here.
 * An id needs to stay only as long as a token issued before the revocation can still be
 * accepted: the access-token lifetime plus the clock skew the verifier tolerates.
 */
export interface SessionDenylist {
  /** Lists sessions as revoked from now until the entry lifetime has passed. */
  add(sessionIds: readonly string[]): void;
  isSessionRevoked(sessionId: string): boolean;
  /** Entries held, expired ones included until they are purged. */
  readonly size: number;
}

export interface SessionDenylistOptions {
  /** How long an entry lives, in ms: the access-token lifetime plus the clock skew. */
  ttlMs: number;
  /**
   * Maximum entries (default 100 000, a few MB). Past it the oldest entry goes, and tokens of
   * that session work again until they expire, so the cap only bounds memory under a flood.
   */
  maxEntries?: number;
  /** Called with the number of unexpired entries dropped to stay under `maxEntries`. */
  onEvicted?: (count: number) => void;
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates a denylist in a Map whose insertion order is expiry order: every entry lives equally
 * long, and a re-added id moves to the end. Expired entries are purged from the front.
 */
export function createSessionDenylist(options: SessionDenylistOptions): SessionDenylist {
  const { ttlMs, maxEntries = 100_000, onEvicted, now = Date.now } = options;
  if (!(ttlMs > 0) || !(maxEntries > 0)) {
    throw new RangeError('ttlMs and maxEntries must be positive');
  }
  const expiries = new Map<string, number>();

  function purge(time: number): void {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > time) return;
      expiries.delete(id);
    }
  }

  return {
    add(sessionIds) {
      const time = now();
      purge(time);
      for (const id of sessionIds) {
        expiries.delete(id);
        expiries.set(id, time + ttlMs);
      }
      const excess = expiries.size - maxEntries;
      if (excess <= 0) return;

      const ids = expiries.keys();
      for (let dropped = 0; dropped < excess; dropped++) {
        expiries.delete(ids.next().value as string);
      }
      onEvicted?.(excess);
    },
    isSessionRevoked(sessionId) {
      const expiresAt = expiries.get(sessionId);
      return expiresAt !== undefined && expiresAt > now();
    },
    get size() {
      return expiries.size;
    },
  };
}

/**
 * Wraps an access-token verifier so that it also rejects tokens of revoked sessions, named by
 * their `sid` claim, with `invalid_token`. Tokens without `sid` pass unchanged.
 */
export function rejectRevokedSessions<Claims extends object>(
  verify: (token: string) => Claims,
  isSessionRevoked: (sessionId: string) => boolean,
): (token: string) => Claims {
  return (token) => {
    const claims = verify(token);
    if (ofRevokedSession(claims, isSessionRevoked)) {
      throw new KeywardError('invalid_token', 'access token of a revoked session', {
        reason: 'session_revoked',
      });
    }
    return claims;
  };
}

/**
 * Wraps a lookup of already verified claims (a cache) so that it finds nothing for a token of
 * a revoked session. The caller then takes the path through `rejectRevokedSessions`, which
 * raises the error.
 */
export function skipRevokedSessions<Claims extends object>(
  lookup: (token: string) => Claims | undefined,
  isSessionRevoked: (sessionId: string) => boolean,
): (token: string) => Claims | undefined {
  return (token) => {
    const claims = lookup(token);
    return claims === undefined || ofRevokedSession(claims, isSessionRevoked) ? undefined : claims;
  };
}

function ofRevokedSession(
  claims: object,
  isSessionRevoked: (sessionId: string) => boolean,
): boolean {
  const sid = (claims as { sid?: unknown }).sid;
  return typeof sid === 'string' && isSessionRevoked(sid);
}
