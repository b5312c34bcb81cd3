import type { RateLimitDecision } from '../ratelimit/index.js';
import type { ApiKeyRecord } from './model.js';
import { isoTime, isoTimeOrNull } from './view.js';

/** Outcome codes of a verification. Malformed and unknown keys both give `NOT_FOUND`. */
export type VerifyCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'REVOKED'
  | 'EXPIRED'
  | 'DISABLED'
  | 'INSUFFICIENT_SCOPE'
  | 'RATE_LIMITED'
  | 'USAGE_EXCEEDED';

export interface VerifyOptions {
  /** Credits to spend, a non-negative integer (default 1). Cost 0 checks without spending. */
  cost?: number;
  /** Scopes the key must all hold, else `INSUFFICIENT_SCOPE`. */
  requiredScopes?: readonly string[];
  /** Time of the checks in epoch ms (default: the service clock). The limiter keeps its own clock. */
  now?: number;
}

/** Result of `verifyKey`. Key fields are null for `NOT_FOUND`. */
export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  keyId: string | null;
  userId: string | null;
  scopes: string[];
  expiresAt: string | null;
  credits: { remaining: number } | null;
  ratelimit: { limit: number; remaining: number; resetAt: string } | null;
  /** Milliseconds until a `RATE_LIMITED` key may retry. */
  retryAfterMs?: number;
  /** The full rate-limit decision, for response headers but not for response bodies. */
  decision: RateLimitDecision | null;
}

/** Builds the result for malformed and unknown keys, a new object each time. */
export function notFound(): VerifyResult {
  return {
    valid: false,
    code: 'NOT_FOUND',
    keyId: null,
    userId: null,
    scopes: [],
    expiresAt: null,
    credits: null,
    ratelimit: null,
    decision: null,
  };
}

/** Builds the result for a key found in the store, with its rate-limit decision. */
export function describe(
  record: ApiKeyRecord,
  code: VerifyCode,
  decision: RateLimitDecision | null,
  credits: VerifyResult['credits'],
): VerifyResult {
  return {
    valid: code === 'VALID',
    code,
    keyId: record.id,
    userId: record.userId,
    // A copy, so a caller that changes the list cannot change the cached record.
    scopes: [...record.scopes],
    expiresAt: isoTimeOrNull(record.expiresAt),
    credits,
    ratelimit: decision && {
      limit: decision.limit,
      remaining: decision.remaining,
      resetAt: isoTime(decision.resetAt),
    },
    decision,
  };
}
