import type { ApiKeyService } from '../apikeys/index.js';
import { andThen } from '../maybe-promise.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimitDecision, RateLimiter } from '../ratelimit/index.js';

/**
 * Wraps a limiter so that every decision is counted by outcome. A decision that the limiter
 * returns as a value is passed on as a value, so the wrapper adds no promise to the hot path.
 */
export function countDecisions(limiter: RateLimiter, metrics: Metrics): RateLimiter {
  return {
    ...limiter,
    limit(key, policy, cost) {
      // The key's first segment (`client`, `key`, `user`) names the limiter; ids stay out of labels.
      const name = key.slice(0, key.indexOf(':')) || 'other';
      return andThen(limiter.limit(key, policy, cost), (decision: RateLimitDecision) => {
        let outcome = decision.allowed ? 'allowed' : 'limited';
        if (decision.degraded) outcome = 'degraded';
        metrics.countRateLimitDecision(name, outcome);
        return decision;
      });
    },
  };
}

/** Counts every verification of the API-key service by result code. */
export function countVerifications(service: ApiKeyService, metrics: Metrics): void {
  service.onVerify((code) => metrics.countKeyVerification(code));
}
