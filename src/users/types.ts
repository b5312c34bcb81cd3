/** A user without the password hash, as the rest of keyward uses it. */
export interface User {
  id: string;
  email: string;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

/** A user with the argon2id PHC string of their password. */
export interface UserRecord extends User {
  passwordHash: string;
}

/** A refresh-token family: one login and every token rotated from it. Times in ms since epoch. */
export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url. */
  hash: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  spentAt: number | null;
}

/**
 * Outcome of spending a refresh token: `rotated` when the next token was stored, `reused` when
 * the token was spent already, `inactive` when it or its session expired or was revoked.
 */
export type RotateOutcome =
  | { status: 'rotated'; session: Session }
  | { status: 'reused'; session: Session }
  | { status: 'inactive'; session: Session }
  | { status: 'not_found' };
