import { createHash, randomBytes } from 'node:crypto';

/** Makes a new opaque refresh token: 256 random bits in base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Hashes a refresh token for storage and lookup. A bare SHA-256 is enough here because the token
 * carries 256 random bits. That space cannot be searched, so a pepper would add nothing.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Tells whether a string has the shape of a refresh token, before any store lookup. */
export function isRefreshTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
