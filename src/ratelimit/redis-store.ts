import type { Cluster, Redis } from 'ioredis';
import { describeOutcome } from './gcra.js';
import { toGcraParams } from './policy.js';
import { GCRA_REFUND_SCRIPT, GCRA_SCRIPT } from './redis-script.js';
import type { RateLimitPolicy, RateLimitStore, StoreDecision } from './types.js';

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** An ioredis client or cluster; the store defines one script command on it. */
  redis: Redis | Cluster;
  /** Prepended to every rate limit key (default `keyward:ratelimit:`). */
  keyPrefix?: string;
  /**
   * Clock of the decisions (default `redis`). `redis` reads the Redis server time, so instances
   * with skewed clocks still agree on every TAT. `caller` uses the `now` passed to `consume`, which
   * tests need for a controlled clock and which is correct only when all instances share one clock.
   */
  clock?: 'redis' | 'caller';
}

type GcraReply = [allowed: number, tatUs: number, nowUs: number, retryAfterUs: number];
type GcraCommand = (
  key: string,
  intervalUs: number,
  burst: number,
  cost: number,
  nowUs: string,
  expiryMarginMs: number,
) => Promise<GcraReply>;

type RefundCommand = (
  key: string,
  intervalUs: number,
  cost: number,
  nowUs: string,
  expiryMarginMs: number,
) => Promise<number>;

const COMMAND_NAME = 'keywardRateLimitGcra';
const REFUND_COMMAND_NAME = 'keywardRateLimitGcraRefund';

/**
 * Extra key lifetime in ms with the `caller` clock. Redis counts a key's expiry on its own clock,
 * so without a margin a key could expire while a caller whose clock runs behind (by up to this
 * margin) still needs its TAT. With the `redis` clock both are the same clock and need none.
 */
const CALLER_CLOCK_EXPIRY_MARGIN_MS = 1000;

/**
 * Creates a store that keeps each TAT in Redis and applies GCRA in one round trip. The script is
 * registered with ioredis `defineCommand`: ioredis 6.1 sends the full script once per connection,
 * then EVALSHA, and resends the script after a NOSCRIPT error. A failed call rejects with the
 * ioredis error.
 */
export function createRedisStore(options: RedisStoreOptions): RateLimitStore {
  const { redis, keyPrefix = 'keyward:ratelimit:', clock = 'redis' } = options;
  redis.defineCommand(COMMAND_NAME, { numberOfKeys: 1, lua: GCRA_SCRIPT });
  redis.defineCommand(REFUND_COMMAND_NAME, { numberOfKeys: 1, lua: GCRA_REFUND_SCRIPT });
  const command = (redis as unknown as Record<string, GcraCommand>)[COMMAND_NAME]!.bind(redis);
  const refundCommand = (redis as unknown as Record<string, RefundCommand>)[
    REFUND_COMMAND_NAME
  ]!.bind(redis);
  const expiryMarginMs = clock === 'caller' ? CALLER_CLOCK_EXPIRY_MARGIN_MS : 0;

  async function consume(
    key: string,
    policy: RateLimitPolicy,
    cost: number,
    now: number,
  ): Promise<StoreDecision> {
    const { intervalUs, burst } = toGcraParams(policy);
    const nowArg = clock === 'caller' ? String(Math.round(now * 1000)) : '';
    const [allowed, tatUs, nowUs, retryAfterUs] = await command(
      keyPrefix + key,
      intervalUs,
      burst,
      cost,
      nowArg,
      expiryMarginMs,
    );

    const retryUs = retryAfterUs < 0 ? Number.POSITIVE_INFINITY : retryAfterUs;
    return describeOutcome(allowed === 1, tatUs, nowUs, retryUs, intervalUs, burst);
  }

  async function refund(
    key: string,
    policy: RateLimitPolicy,
    cost: number,
    now: number,
  ): Promise<void> {
    const nowArg = clock === 'caller' ? String(Math.round(now * 1000)) : '';
    await refundCommand(
      keyPrefix + key,
      toGcraParams(policy).intervalUs,
      cost,
      nowArg,
      expiryMarginMs,
    );
  }

  return { consume, refund };
}
