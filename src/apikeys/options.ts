import type { RateLimiter, RateLimitPolicy } from '../ratelimit/index.js';
import type { KeyCacheOptions } from './cache.js';
import { validateEnvironment } from './format.js';
import { type ApiKeyLogger, silentLogger } from './logger.js';
import type { Peppers } from './peppers.js';
import type { ApiKeyStore } from './store.js';
import { validateRateLimit } from './validate.js';

/**
 * Carries key invalidations between instances (for example over Redis pub/sub). `publish` is
 * called for every local change, and handlers given to `subscribe` get other instances' key ids.
 */
export interface InvalidationBus {
  publish(keyId: string): void;
  subscribe(handler: (keyId: string) => void): void;
}

/** Options of `createApiKeyService`. Times are milliseconds. */
export interface ApiKeyServiceOptions {
  store: ApiKeyStore;
  peppers: Peppers;
  limiter: RateLimiter;
  /** Limit of a key without its own (`KEYWARD_RATE_LIMIT`). No limit when absent. */
  defaultRateLimit?: RateLimitPolicy;
  /** Limit across all keys of one user (`KEYWARD_USER_RATE_LIMIT`). No limit when absent. */
  userRateLimit?: RateLimitPolicy;
  /** Environment name in the key prefix, such as `live` or `test`. */
  environment: string;
  now?: () => number;
  logger?: ApiKeyLogger;
  invalidationBus?: InvalidationBus;
  cache?: KeyCacheOptions;
  /** Period of the batched last-used and event writes (default 10 000, 0 = only `flush()`). */
  flushIntervalMs?: number;
  /** At most one failure event per key and code in this period (default 60 000). */
  failureSampleMs?: number;
  /** Grace period of a rotation without one (default 24 h). */
  defaultGracePeriodMs?: number;
  /** Maximum grace period a caller may request (default 30 days). */
  maxGracePeriodMs?: number;
  /** Most live (not revoked, not expired) keys one user may hold (default 100). */
  maxKeysPerUser?: number;
}

const HOUR_MS = 3_600_000;

/** Options after validation, with every default filled in. */
export interface ResolvedOptions {
  now: () => number;
  logger: ApiKeyLogger;
  /** Defaults are filled in by `createKeyCache`. */
  cache: KeyCacheOptions;
  defaultRateLimit: RateLimitPolicy | undefined;
  userRateLimit: RateLimitPolicy | undefined;
  flushIntervalMs: number;
  failureSampleMs: number;
  defaultGracePeriodMs: number;
  maxGracePeriodMs: number;
  maxKeysPerUser: number;
}

/**
 * Validates the options and fills in the defaults. Raises `validation_failed` for an invalid
 * environment name or rate limit, and RangeError for a negative or fractional size or time.
 */
export function resolveOptions(options: ApiKeyServiceOptions): ResolvedOptions {
  validateEnvironment(options.environment);
  const maxGracePeriodMs = options.maxGracePeriodMs ?? 30 * 24 * HOUR_MS;
  const resolved: ResolvedOptions = {
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger,
    cache: { ...options.cache },
    defaultRateLimit: validateRateLimit(options.defaultRateLimit) ?? undefined,
    userRateLimit: validateRateLimit(options.userRateLimit) ?? undefined,
    flushIntervalMs: options.flushIntervalMs ?? 10_000,
    failureSampleMs: options.failureSampleMs ?? 60_000,
    defaultGracePeriodMs: Math.min(options.defaultGracePeriodMs ?? 24 * HOUR_MS, maxGracePeriodMs),
    maxGracePeriodMs,
    maxKeysPerUser: options.maxKeysPerUser ?? 100,
  };
  const { flushIntervalMs, failureSampleMs, defaultGracePeriodMs, maxKeysPerUser } = resolved;
  const numbers = {
    ...resolved.cache,
    flushIntervalMs,
    failureSampleMs,
    defaultGracePeriodMs,
    maxGracePeriodMs,
    maxKeysPerUser,
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`${name} must be a whole number of 0 or more, got ${value}`);
    }
  }
  return resolved;
}
