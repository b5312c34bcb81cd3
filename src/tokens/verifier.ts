import { KeywardError } from '../errors/index.js';
import { decodeBase64url } from './base64url.js';
import { type ClaimsPolicy, checkClaims } from './claims.js';
import { resolveHeaderKey } from './header.js';
import { parseJsonObject } from './json-object.js';
import { rejectToken } from './reject.js';
import type { AccessTokenClaims, Keyring, VerificationKey } from './types.js';

/** Largest accepted token, in bytes; checked before any decoding. */
export const MAX_TOKEN_BYTES = 8192;

/** Upper bound of `clockSkewSeconds`; more skew would stretch every token's lifetime. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/**
 * Distinct header segments kept resolved. Headers repeat (one per key), so a few entries
 * cover normal traffic. The cache holds only headers that passed every check, and the result
 * depends on nothing but the segment text and the immutable keyring.
 */
const HEADER_CACHE_SIZE = 16;

export interface AccessTokenVerifierOptions {
  keyring: Keyring;
  /** Expected `iss`, compared exactly. */
  issuer: string;
  /** Expected audience: `aud` must equal it or be an array that contains it. */
  audience: string;
  /** Tolerated clock difference in seconds, 0 to 60; default 30. */
  clockSkewSeconds?: number;
  /** Clock in milliseconds since the Unix epoch; default Date.now. */
  now?: () => number;
}

/** Checks an access token and returns its claims; raises KeywardError `invalid_token`. */
export type AccessTokenVerifier = (token: string) => AccessTokenClaims;

/**
 * Creates a synchronous verifier of RFC 9068 access tokens in JWS compact form. Options are
 * validated here once (raising `validation_failed`); the returned function checks, in order:
 * size, shape, header, base64url of payload and signature, signature, then claims. The claims
 * JSON is parsed only after the signature matched, so unauthenticated claims are never parsed.
 * Every failure raises `invalid_token` with the internal reason in `details.reason`.
 */
export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  return createVerifierWithHeaderCache(options, HEADER_CACHE_SIZE);
}

/**
 * createAccessTokenVerifier with a chosen header cache size, where 0 turns the cache off.
 * Exported for the benchmark, which measures the verifier both ways.
 */
export function createVerifierWithHeaderCache(
  options: AccessTokenVerifierOptions,
  headerCacheSize: number,
): AccessTokenVerifier {
  const { keyring, policy, now } = validateOptions(options);
  const resolveKey = createHeaderResolver(keyring, headerCacheSize);

  return (token) => {
    if (typeof token !== 'string') return rejectToken('not_a_string');
    // For ASCII, the UTF-16 length equals the byte length. Any other character fails the
    // base64url check later, so its longer UTF-8 form does not matter.
    if (token.length > MAX_TOKEN_BYTES) return rejectToken('token_too_large');

    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot === -1 || secondDot === -1 || token.indexOf('.', secondDot + 1) !== -1) {
      return rejectToken('malformed_compact_serialization');
    }

    const key = resolveKey(token.slice(0, firstDot));
    const payload = decodeBase64url(token.slice(firstDot + 1, secondDot));
    const signature = decodeBase64url(token.slice(secondDot + 1));
    if (payload === undefined || signature === undefined) return rejectToken('malformed_base64url');

    if (!key.verify(token.slice(0, secondDot), signature)) return rejectToken('signature_invalid');
    return checkClaims(parseJsonObject(payload), policy, Math.floor(now() / 1000));
  };
}

/** Returns resolveHeaderKey behind a bounded map from header segment to key. */
function createHeaderResolver(
  keyring: Keyring,
  size: number,
): (segment: string) => VerificationKey {
  if (size === 0) return (segment) => resolveHeaderKey(segment, keyring);

  const cache = new Map<string, VerificationKey>();
  return (segment) => {
    const cached = cache.get(segment);
    if (cached) return cached;

    const key = resolveHeaderKey(segment, keyring);
    // A full cache means unusual traffic, so clearing it is enough and cheaper than an LRU.
    if (cache.size >= size) cache.clear();
    cache.set(segment, key);
    return key;
  };
}

function validateOptions(options: AccessTokenVerifierOptions) {
  const { keyring, issuer, audience, now = Date.now } = options;
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (typeof keyring?.find !== 'function') invalidOption('keyring must come from createKeyring');
  if (typeof issuer !== 'string' || issuer === '') {
    invalidOption('issuer must be a non-empty string');
  }
  if (typeof audience !== 'string' || audience === '') {
    invalidOption('audience must be a non-empty string');
  }
  if (
    !Number.isInteger(clockSkewSeconds) ||
    clockSkewSeconds < 0 ||
    clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS
  ) {
    invalidOption(`clockSkewSeconds must be an integer from 0 to ${MAX_CLOCK_SKEW_SECONDS}`);
  }
  if (typeof now !== 'function') invalidOption('now must be a function returning milliseconds');

  const policy: ClaimsPolicy = { issuer, audience, clockSkewSeconds };
  return { keyring, policy, now };
}

function invalidOption(message: string): never {
  throw new KeywardError('validation_failed', `Access token verifier: ${message}.`);
}
