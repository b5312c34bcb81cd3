import { summarizeError } from '../errors/summarize.js';
import type { RateLimitLogger } from './types.js';

/** Tracks store failures so that an outage logs one warning when it starts and one line when it ends. */
export interface StoreHealth {
  recordFailure(error: unknown, nowMs: number): void;
  recordSuccess(nowMs: number): void;
}

/**
 * Creates the outage tracker of one limiter. The warning carries the error's name, message and code
 * but not the whole error object, because ioredis errors hold the command arguments and so the
 * rate limit key, which callers may build from client data.
 */
export function createStoreHealth(onStoreError: string, logger?: RateLimitLogger): StoreHealth {
  let failingSince: number | undefined;
  let failedDecisions = 0;

  return {
    recordFailure(error, nowMs) {
      failedDecisions += 1;
      if (failingSince !== undefined) return;

      failingSince = nowMs;
      const event = 'ratelimit_store_failed';
      logger?.warn({ event, err: summarizeError(error), onStoreError }, 'rate limit store failed');
    },
    recordSuccess(nowMs) {
      if (failingSince === undefined) return;

      const downtimeMs = nowMs - failingSince;
      const event = 'ratelimit_store_recovered';
      logger?.info({ event, downtimeMs, failedDecisions }, 'rate limit store recovered');
      failingSince = undefined;
      failedDecisions = 0;
    },
  };
}
