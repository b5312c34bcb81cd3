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
  /**
   * The rate-limit decision: the key's own limit, or the owner's across all their keys
   * (`scope`), whichever refused the request or else has fewer requests remaining.
   */
  ratelimit: {
    limit: number;
    remaining: number;
    resetAt: string;
    scope: 'key' | 'owner';
  } | null;
  /** Milliseconds until a `RATE_LIMITED` key may retry. */
  retryAfterMs?: number;
  /** The full rate-limit decision, for response headers but not for response bodies. */
  decision: RateLimitDecision | null;
}

/**
 * The result of `admitKey`: the fields that admit or refuse a request. It leaves out the
 * formatted times and credits of `VerifyResult`, which authentication never reads.
 */
export interface KeyAdmission {
  valid: boolean;
  code: VerifyCode;
  keyId: string | null;
  userId: string | null;
  /** The cached record's own list, frozen: shared, never copied. */
  scopes: readonly string[];
  /** Milliseconds until a `RATE_LIMITED` key may retry. */
  retryAfterMs?: number;
  decision: RateLimitDecision | null;
  /**
   * Whose limit `decision` is: the key's own, or the owner's across all their keys. Null without
   * a decision.
   */
  limitedBy: 'key' | 'owner' | null;
}

const noScopes: readonly string[] = Object.freeze([]);

/**
 * Builds the full result of a verification. `record` is undefined for a malformed or unknown
 * key, whose result is `NOT_FOUND` with every key field null. `byOwner` is true when
 * `decision` is the owner's limit.
 */
export function describe(
  record: ApiKeyRecord | undefined,
  code: VerifyCode,
  decision: RateLimitDecision | null,
  credits: VerifyResult['credits'],
  byOwner: boolean,
): VerifyResult {
  const result: VerifyResult = {
    valid: code === 'VALID',
    code,
    keyId: record ? record.id : null,
    userId: record ? record.userId : null,
    // A copy, so a caller that changes the list cannot change the cached record.
    scopes: record ? [...record.scopes] : [],
    expiresAt: record ? isoTimeOrNull(record.expiresAt) : null,
    credits,
    ratelimit: decision && {
      limit: decision.limit,
      remaining: decision.remaining,
      resetAt: isoTime(decision.resetAt),
      scope: byOwner ? 'owner' : 'key',
    },
    decision,
  };
  if (code === 'RATE_LIMITED' && decision) result.retryAfterMs = decision.retryAfterMs;
  return result;
}

/**
 * Builds the brief result of a verification for `admitKey`. The arguments are those of
 * `describe`, and `byOwner` is true when `decision` is the owner's limit.
 */
export function admission(
  record: ApiKeyRecord | undefined,
  code: VerifyCode,
  decision: RateLimitDecision | null,
  _credits: VerifyResult['credits'],
  byOwner: boolean,
): KeyAdmission {
  const result: KeyAdmission = {
    valid: code === 'VALID',
    code,
    keyId: record ? record.id : null,
    userId: record ? record.userId : null,
    scopes: record ? record.scopes : noScopes,
    decision,
    limitedBy: null,
  };
  if (decision !== null) result.limitedBy = byOwner ? 'owner' : 'key';
  if (code === 'RATE_LIMITED' && decision) result.retryAfterMs = decision.retryAfterMs;
  return result;
}
