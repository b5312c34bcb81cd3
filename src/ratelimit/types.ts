import type { MaybePromise } from '../maybe-promise.js';

/**
 * A rate limit: a sustained rate of `limit` requests per `windowMs` milliseconds, with bursts of at
 * most `burst` requests (default `limit`). Over any interval of t ms it admits at most
 * burst + t·limit/windowMs requests.
 */
export interface RateLimitPolicy {
  /** Requests per window, a positive integer. */
  limit: number;
  /** Window length in milliseconds, a positive integer. */
  windowMs: number;
  /** Maximum requests admitted at once from an idle state, a positive integer (default `limit`). */
  burst?: number;
}

/** The outcome of one GCRA step, as a store returns it. Times are milliseconds. */
export interface StoreDecision {
  allowed: boolean;
  /** Theoretical arrival time to keep for the key, in whole microseconds since the epoch. */
  tatUs: number;
  /** Requests of cost 1 that would pass right after this decision. */
  remaining: number;
  /** Epoch time in ms when the bucket is full again, so the key carries no state. */
  resetAt: number;
  /** Milliseconds from the decision until `resetAt`, free of clock skew between hosts. */
  resetAfterMs: number;
  /**
   * Milliseconds until this request, with the same cost, would pass: 0 when allowed, and
   * `Infinity` when the cost exceeds the burst, because no wait makes it pass.
   */
  retryAfterMs: number;
}

/**
 * Storage that applies GCRA to a key atomically. `now` is the caller's clock in epoch ms, but a
 * store may use its own clock instead (the Redis store does by default). The policy is already valid.
 */
export interface RateLimitStore {
  consume(
    key: string,
    policy: RateLimitPolicy,
    cost: number,
    now: number,
  ): Promise<StoreDecision> | StoreDecision;
  /**
   * Gives back `cost` that `consume` spent on `key` under `policy`, for a request that another
   * limit refused after this one let it pass. The bucket never ends up fuller than full, and a
   * key without state is left alone.
   */
  refund(key: string, policy: RateLimitPolicy, cost: number, now: number): Promise<void> | void;
}

/** The limiter's decision for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The policy's `limit`, repeated for headers and API bodies. */
  limit: number;
  remaining: number;
  /** Epoch ms when the bucket is full again. */
  resetAt: number;
  resetAfterMs: number;
  /** 0 when allowed, and `Infinity` when the cost exceeds the burst. */
  retryAfterMs: number;
  policy: RateLimitPolicy;
  /** True when the store failed and the decision follows `onStoreError` instead of GCRA. */
  degraded: boolean;
}

/** Checks and spends rate limit budget; created by `createRateLimiter`. */
export interface RateLimiter {
  /**
   * Spends `cost` (default 1) from the key's budget under `policy`. Cost 0 only reads the state.
   * Returns the decision itself when the store decided synchronously, else a promise of it.
   * Rejects with `validation_failed` for an invalid policy or cost, and never raises on a store
   * failure.
   */
  limit(key: string, policy: RateLimitPolicy, cost?: number): MaybePromise<RateLimitDecision>;
  /**
   * Gives back `cost` (default 1) that `limit` spent, for a request another limit then refused.
   * Returns nothing when the store worked synchronously, else a promise. Rejects with
   * `validation_failed` for an invalid policy or cost, as `limit` does. A store failure never
   * rejects: it is logged like those of `limit`, and the request stays spent.
   */
  refund(key: string, policy: RateLimitPolicy, cost?: number): MaybePromise<void>;
}

/** The subset of a pino logger that the limiter uses. */
export interface RateLimitLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}
