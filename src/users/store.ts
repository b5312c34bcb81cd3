import type { RefreshTokenRecord, RotateOutcome, Session, UserRecord } from './types.js';

/** Storage of users. Implementations raise `email_taken` when the email exists already. */
export interface UserStore {
  insertUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  updatePasswordHash(userId: string, passwordHash: string, now: number): Promise<void>;
}

/** Storage of sessions (refresh-token families) and their refresh tokens. */
export interface SessionStore {
  /** Inserts a session together with its first refresh token, in one transaction. */
  insertSession(session: Session, token: RefreshTokenRecord): Promise<void>;
  /**
   * Marks the token `oldHash` spent and inserts `next` in its family, in one transaction.
   * Exactly one of several concurrent calls with the same `oldHash` returns `rotated`; the
   * others, and any later call, return `reused`. An expired token, or one whose session is
   * revoked or expired, is spent without a successor and returns `inactive`.
   */
  rotateRefreshToken(
    oldHash: string,
    next: Omit<RefreshTokenRecord, 'sessionId'>,
    now: number,
  ): Promise<RotateOutcome>;
  findSessionByTokenHash(hash: string): Promise<Session | undefined>;
  findSession(id: string): Promise<Session | undefined>;
  listSessions(userId: string): Promise<Session[]>;
  /** Revokes one session; returns false when it was missing or revoked already. */
  revokeSession(id: string, reason: string, now: number): Promise<boolean>;
  /** Revokes every open session of a user and returns how many were revoked. */
  revokeUserSessions(userId: string, reason: string, now: number): Promise<number>;
}
