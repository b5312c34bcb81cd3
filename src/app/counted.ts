import type { ApiKeyService } from '../apikeys/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../ratelimit/index.js';

/** Wraps a limiter so that every decision is counted by outcome. */
export function countDecisions(limiter: RateLimiter, metrics: Metrics): RateLimiter {
  return {
    ...limiter,
    async limit(key, policy, cost) {
      const decision = await limiter.limit(key, policy, cost);
      let outcome = decision.allowed ? 'allowed' : 'limited';
      if (decision.degraded) outcome = 'degraded';
      // The key's first segment (`client`, `key`, `user`) names the limiter; ids stay out of labels.
      metrics.countRateLimitDecision(key.slice(0, key.indexOf(':')) || 'other', outcome);
      return decision;
    },
  };
}

/** Wraps the API-key service so that every verification is counted by result code. */
export function countVerifications(service: ApiKeyService, metrics: Metrics): ApiKeyService {
  return {
    ...service,
    async verifyKey(plaintextKey, options) {
      const result = await service.verifyKey(plaintextKey, options);
      metrics.countKeyVerification(result.code);
      return result;
    },
  };
}
