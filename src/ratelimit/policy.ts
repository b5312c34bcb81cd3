import { KeywardError } from '../errors/index.js';
import type { RateLimitPolicy } from './types.js';

/**
 * Maximum burst × emission interval, in µs (2^48 µs, about 8.9 years). It keeps every TAT below
 * 2^53 µs, so GCRA arithmetic on doubles stays exact, in Lua as in JavaScript.
 */
const MAX_TOLERANCE_US = 2 ** 48;

/** GCRA parameters derived from a policy. */
export interface GcraParams {
  /** Emission interval: windowMs/limit rounded up to whole microseconds. */
  intervalUs: number;
  burst: number;
}

/**
 * Derives the GCRA parameters of a policy that `validatePolicy` accepted.
 * Rounding the interval up makes the limiter stricter by under 1 µs per request, never looser, so
 * admissions never exceed the upper bound of the contract.
 */
export function toGcraParams(policy: RateLimitPolicy): GcraParams {
  return {
    intervalUs: Math.ceil((policy.windowMs * 1000) / policy.limit),
    burst: policy.burst ?? policy.limit,
  };
}

/** Raises `validation_failed` unless limit, windowMs and burst are usable positive integers. */
export function validatePolicy(policy: RateLimitPolicy): void {
  const { limit, windowMs, burst } = policy;
  requirePositiveInteger('limit', limit);
  requirePositiveInteger('windowMs', windowMs);
  if (burst !== undefined) requirePositiveInteger('burst', burst);

  if (!Number.isSafeInteger(windowMs * 1000)) {
    fail(`rate limit windowMs ${windowMs} is too large to count in microseconds`);
  }
  if (limit > windowMs * 1000) {
    fail(`rate limit ${limit}/${windowMs}ms is faster than one request per microsecond`);
  }
  const { intervalUs, burst: effectiveBurst } = toGcraParams(policy);
  if (intervalUs * effectiveBurst > MAX_TOLERANCE_US) {
    const refill = `${effectiveBurst} × ${windowMs}ms / ${limit}`;
    fail(`rate limit burst × windowMs / limit must be at most 8 years, got ${refill}`);
  }
}

/** Raises `validation_failed` unless the cost is a non-negative integer. */
export function validateCost(cost: number): void {
  if (!Number.isSafeInteger(cost) || cost < 0) {
    fail(`rate limit cost must be a non-negative integer, got ${cost}`);
  }
}

function requirePositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(`rate limit ${name} must be a positive integer, got ${String(value)}`);
  }
}

function fail(message: string): never {
  throw new KeywardError('validation_failed', message, { detail: message });
}
