import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { isKeywardError, type KeywardError } from '../../src/errors/index.js';
import {
  createAccessTokenIssuer,
  createAccessTokenVerifier,
  createKeyring,
  type Keyring,
} from '../../src/tokens/index.js';
import type { TokenRejectionReason } from '../../src/tokens/reject.js';

export const ISSUER = 'https://auth.example.test';
export const AUDIENCE = 'https://api.example.test';

/** The fixed test clock: 2026-01-15T12:00:00Z, in milliseconds. */
export const NOW_MS = Date.UTC(2026, 0, 15, 12);
export const NOW_SECONDS = NOW_MS / 1000;
export const now = () => NOW_MS;

/** Returns a fresh random HS256 secret: 32 bytes in base64url, 43 characters. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates an HS256 keyring with one random secret, and its verifier and issuer. */
export function createHs256Fixture(secret = randomSecret()) {
  const keyring = createKeyring({ active: { alg: 'HS256', secret } });
  return { secret, keyring, kid: keyring.active.kid, ...createPair(keyring) };
}

/** Creates the verifier and issuer of a keyring, by default on the test clock. */
export function createPair(keyring: Keyring, clock: () => number = now) {
  const verify = createAccessTokenVerifier({
    keyring,
    issuer: ISSUER,
    audience: AUDIENCE,
    now: clock,
  });
  const { issue } = createAccessTokenIssuer({
    keyring,
    issuer: ISSUER,
    audience: AUDIENCE,
    now: clock,
  });
  return { verify, issue };
}

/** Claims that pass the default policy at NOW_SECONDS, with overrides; undefined removes one. */
export function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'usr_1',
    aud: AUDIENCE,
    iat: NOW_SECONDS - 10,
    exp: NOW_SECONDS + 600,
    jti: 'jti-1',
    scope: 'keys:read',
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/** Encodes a segment: an object as its JSON, a string as the exact JSON text given. */
export function encodeSegment(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

/** Returns an HS256 signer over the signing input, for crafting tokens by hand. */
export function hs256(secret: string | Uint8Array) {
  return (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
}

/** Builds a compact token from a header, claims (objects or raw JSON text) and a signer. */
export function craftToken(
  header: object | string,
  claims: object | string,
  sign: (input: string) => string,
): string {
  const input = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  return `${input}.${sign(input)}`;
}

/** Returns the header keyward issues for a kid, with overrides; undefined removes one. */
export function header(kid: string, overrides: Record<string, unknown> = {}) {
  const result: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt', kid };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}

/** Runs `action` and returns the KeywardError it raised; fails the test if none was raised. */
export function errorOf(action: () => unknown): KeywardError {
  try {
    action();
  } catch (error) {
    if (isKeywardError(error)) return error;
    throw error;
  }
  throw new Error('expected a KeywardError, but nothing was raised');
}

/** Asserts that verification raised `invalid_token` with the given internal reason. */
export function expectRejected(action: () => unknown, reason: TokenRejectionReason): void {
  const error = errorOf(action);
  expect(error.code).toBe('invalid_token');
  expect(error.details.reason).toBe(reason);
  expect(error.message).toBe('access token rejected');
}

/** Returns the token with the first signature character replaced by a different one. */
export function tamperSignature(token: string): string {
  const start = token.lastIndexOf('.') + 1;
  const replacement = token[start] === 'A' ? 'B' : 'A';
  return `${token.slice(0, start)}${replacement}${token.slice(start + 1)}`;
}
