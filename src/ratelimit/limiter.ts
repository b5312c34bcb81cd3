import type { MaybePromise } from '../maybe-promise.js';
import { validateCost, validatePolicy } from './policy.js';
import { createStoreHealth } from './store-health.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimitLogger,
  RateLimitPolicy,
  RateLimitStore,
  StoreDecision,
} from './types.js';

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  store: RateLimitStore;
  /**
   * Decision while the store fails (default `allow`). `allow` keeps API traffic flowing through a
   * Redis outage: every key is still authenticated, and only the metering pauses. Pass `deny` where
   * the limit itself is the protection, such as throttling password guesses.
   */
  onStoreError?: 'allow' | 'deny';
  /** Pino-like logger for the outage warning and the recovery line. */
  logger?: RateLimitLogger;
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Wait in ms advertised by a `deny` decision during a store outage. Outages of a store on the
 * same network are usually short, and a client that retries sooner only gets another 429.
 */
const STORE_ERROR_RETRY_AFTER_MS = 1000;

/**
 * Creates a limiter over a store. Each call validates the policy and cost, then calls the store.
 * When the store throws or rejects, the decision follows `onStoreError` and is marked `degraded`.
 * Over a synchronous store the decision is returned as a value, not a promise.
 * Raises `RangeError` for an unknown `onStoreError`.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store, onStoreError = 'allow', logger, now = Date.now } = options;
  if (onStoreError !== 'allow' && onStoreError !== 'deny') {
    throw new RangeError(`onStoreError must be 'allow' or 'deny', got ${String(onStoreError)}`);
  }
  const health = createStoreHealth(onStoreError, logger);

  function decided(decision: StoreDecision, policy: RateLimitPolicy, nowMs: number) {
    health.recordSuccess(nowMs);
    return fromStore(decision, policy);
  }

  function failed(error: unknown, policy: RateLimitPolicy, cost: number, nowMs: number) {
    health.recordFailure(error, nowMs);
    return fromStoreError(onStoreError === 'allow', policy, cost, nowMs);
  }

  function limit(key: string, policy: RateLimitPolicy, cost = 1): MaybePromise<RateLimitDecision> {
    const invalid = rejectInvalid(policy, cost);
    if (invalid) return invalid;

    const nowMs = now();
    let result: ReturnType<RateLimitStore['consume']>;
    try {
      result = store.consume(key, policy, cost, nowMs);
    } catch (error) {
      return failed(error, policy, cost, nowMs);
    }
    // A synchronous store (the memory one) gets its decision back without a promise.
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (decision) => decided(decision, policy, nowMs),
        (error: unknown) => failed(error, policy, cost, nowMs),
      );
    }
    return decided(result, policy, nowMs);
  }

  function refund(key: string, policy: RateLimitPolicy, cost = 1): MaybePromise<void> {
    const invalid = rejectInvalid(policy, cost);
    if (invalid) return invalid;
    const nowMs = now();
    try {
      const result = store.refund(key, policy, cost, nowMs);
      if (isPromiseLike(result)) {
        return Promise.resolve(result).then(
          () => health.recordSuccess(nowMs),
          (error: unknown) => health.recordFailure(error, nowMs),
        );
      }
    } catch (error) {
      health.recordFailure(error, nowMs);
    }
    return undefined;
  }

  return { limit, refund };
}

function fromStore(decision: StoreDecision, policy: RateLimitPolicy): RateLimitDecision {
  return {
    allowed: decision.allowed,
    limit: policy.limit,
    remaining: decision.remaining,
    resetAt: decision.resetAt,
    resetAfterMs: decision.resetAfterMs,
    retryAfterMs: decision.retryAfterMs,
    policy,
    degraded: false,
  };
}

/**
 * Builds the decision for a failed store. Nothing was counted, so `remaining` is 0 either way.
 * A cost above the burst is still denied, because no state could ever let it pass.
 */
function fromStoreError(
  allow: boolean,
  policy: RateLimitPolicy,
  cost: number,
  nowMs: number,
): RateLimitDecision {
  const tooLarge = cost > (policy.burst ?? policy.limit);
  const allowed = allow && !tooLarge;
  const waitMs = allowed ? 0 : STORE_ERROR_RETRY_AFTER_MS;
  return {
    allowed,
    limit: policy.limit,
    remaining: 0,
    resetAt: nowMs + waitMs,
    resetAfterMs: waitMs,
    retryAfterMs: tooLarge ? Number.POSITIVE_INFINITY : waitMs,
    policy,
    degraded: true,
  };
}

/** Returns a rejected promise for an invalid policy or cost, and undefined for valid ones. */
function rejectInvalid(policy: RateLimitPolicy, cost: number): Promise<never> | undefined {
  try {
    validatePolicy(policy);
    validateCost(cost);
    return undefined;
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Tells whether a store returned a promise. A synchronous `refund` returns undefined. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
