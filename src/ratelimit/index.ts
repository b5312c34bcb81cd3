export { allowedRateLimitField, type RateLimitHeaders, rateLimitHeaders } from './headers.js';
export { createRateLimiter, type RateLimiterOptions } from './limiter.js';
export {
  createMemoryStore,
  type MemoryRateLimitStore,
  type MemoryStoreOptions,
} from './memory-store.js';
export { parseRateLimit } from './parse.js';
export { createRedisStore, type RedisStoreOptions } from './redis-store.js';
export type {
  RateLimitDecision,
  RateLimiter,
  RateLimitLogger,
  RateLimitPolicy,
  RateLimitStore,
  StoreDecision,
} from './types.js';
