import { KeywardError } from '../errors/index.js';
import { newId } from '../ids.js';
import { hashRefreshToken, isRefreshTokenShape, newRefreshToken } from './refresh-token.js';
import type { SessionStore } from './store.js';
import type { Session, User } from './types.js';
import type { UserService } from './user-service.js';

/** Tokens a client receives at sign-up, login and refresh. */
export interface SessionTokens {
  user: { id: string; email: string };
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
}

/** The part of the access-token issuer that sessions need. */
export interface AccessTokenIssuer {
  issue(input: { sub: string; scope: string; sid: string }): { token: string; expiresIn: number };
}

export interface SessionServiceOptions {
  store: SessionStore;
  users: UserService;
  accessTokens: AccessTokenIssuer;
  /** How long a session lasts without a refresh being refused, in milliseconds. */
  refreshTtlMs: number;
  /** Told about every revoked session, so other parts (and instances) can drop what they cached. */
  onRevoked?: (sessionIds: string[], userId: string) => void;
  now?: () => number;
}

export interface SessionService {
  start(user: User, userAgent?: string): Promise<SessionTokens>;
  /** Spends a refresh token for a new pair. Raises `invalid_refresh_token`. */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** Revokes the family of a refresh token; an unknown token is ignored. */
  logOut(refreshToken: string): Promise<void>;
  list(userId: string): Promise<Session[]>;
  /** Revokes one of the user's sessions. Raises `not_found` for a session of another user. */
  revoke(userId: string, sessionId: string): Promise<void>;
  revokeAll(userId: string, reason: string): Promise<number>;
}

/** Builds the refresh-token session service. Refresh tokens rotate on every use (RFC 9700 4.14). */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { store, users, accessTokens, refreshTtlMs } = options;
  const now = options.now ?? Date.now;
  const notify = options.onRevoked ?? (() => {});

  function tokensFor(user: User, sessionId: string, refreshToken: string): SessionTokens {
    const access = accessTokens.issue({
      sub: user.id,
      scope: user.scopes.join(' '),
      sid: sessionId,
    });
    return {
      user: { id: user.id, email: user.email },
      sessionId,
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    };
  }

  function invalid(reason: string, ids?: Record<string, string>): KeywardError {
    // Whether the token was unknown, spent or expired goes to the log, not to the client.
    return new KeywardError('invalid_refresh_token', 'refresh token rejected', {
      detail: 'The refresh token is unknown, already used, expired or revoked. Log in again.',
      reason,
      ...(ids ? { ids } : {}),
    });
  }

  return {
    async start(user, userAgent) {
      const time = now();
      const token = newRefreshToken();
      const session: Session = {
        id: newId('ses'),
        userId: user.id,
        createdAt: time,
        lastUsedAt: time,
        expiresAt: time + refreshTtlMs,
        revokedAt: null,
        revokedReason: null,
        userAgent: userAgent?.slice(0, 256) ?? null,
      };
      const record = { hash: hashRefreshToken(token), sessionId: session.id, createdAt: time };
      await store.insertSession(session, {
        ...record,
        expiresAt: session.expiresAt,
        spentAt: null,
      });
      return tokensFor(user, session.id, token);
    },

    async refresh(refreshToken) {
      if (!isRefreshTokenShape(refreshToken)) {
        throw invalid('malformed');
      }
      const time = now();
      const next = newRefreshToken();
      const nextRecord = { hash: hashRefreshToken(next), createdAt: time, spentAt: null };
      const outcome = await store.rotateRefreshToken(
        hashRefreshToken(refreshToken),
        { ...nextRecord, expiresAt: time + refreshTtlMs },
        time,
      );
      if (outcome.status === 'not_found') {
        throw invalid('unknown');
      }
      if (outcome.status === 'reused') {
        // A spent token came back: either its owner or a thief has a copy. Revoking the
        // family logs both out (RFC 9700 4.14.2).
        if (await store.revokeSession(outcome.session.id, 'refresh token reused', time)) {
          notify([outcome.session.id], outcome.session.userId);
        }
        // The ids let an operator find the user and the session in the warning.
        throw invalid('reused', {
          userId: outcome.session.userId,
          sessionId: outcome.session.id,
        });
      }
      if (outcome.status === 'inactive') {
        throw invalid('expired or revoked');
      }
      const user = await users.findUser(outcome.session.userId);
      if (!user) {
        throw invalid('user deleted');
      }
      return tokensFor(user, outcome.session.id, next);
    },

    async logOut(refreshToken) {
      if (!isRefreshTokenShape(refreshToken)) {
        return;
      }
      const session = await store.findSessionByTokenHash(hashRefreshToken(refreshToken));
      if (session && (await store.revokeSession(session.id, 'logged out', now()))) {
        notify([session.id], session.userId);
      }
    },

    list(userId) {
      return store.listSessions(userId);
    },

    async revoke(userId, sessionId) {
      const session = await store.findSession(sessionId);
      if (!session || session.userId !== userId) {
        throw new KeywardError('not_found', 'session not found');
      }
      if (await store.revokeSession(sessionId, 'revoked by user', now())) {
        notify([sessionId], userId);
      }
    },

    async revokeAll(userId, reason) {
      const open = (await store.listSessions(userId)).filter((s) => s.revokedAt === null);
      const count = await store.revokeUserSessions(userId, reason, now());
      notify(
        open.map((s) => s.id),
        userId,
      );
      return count;
    },
  };
}
