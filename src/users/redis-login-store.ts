import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AttemptOutcome, BackoffRule, LoginAttemptStore } from './login-guard.js';

/**
 * Counts one attempt in a hash {failures, lockedUntil, lastAttemptAt}, with the semantics of
 * the memory store: forget after `forgetAfterMs` without an attempt; a locked key refuses the
 * attempt without counting it; the failure past `freeFailures` locks for `baseLockMs`, doubling
 * with each further one up to `maxLockMs`. ARGV: now, freeFailures, baseLockMs, maxLockMs,
 * forgetAfterMs, expiryMs. Returns {allowed (1 or 0), retryAfterMs}.
 */
const REGISTER_SCRIPT = `
local now = tonumber(ARGV[1])
local state = redis.call('HMGET', KEYS[1], 'failures', 'lockedUntil', 'lastAttemptAt')
local failures = tonumber(state[1]) or 0
local lockedUntil = tonumber(state[2]) or 0
local last = tonumber(state[3])
if last == nil or now - last > tonumber(ARGV[5]) then
  failures = 0
  lockedUntil = 0
end
local allowed = 1
local retryAfter = 0
if lockedUntil > now then
  allowed = 0
  retryAfter = lockedUntil - now
else
  failures = failures + 1
  local free = tonumber(ARGV[2])
  if failures > free then
    local doublings = math.min(failures - free - 1, 30)
    lockedUntil = now + math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ doublings)
  end
end
redis.call('HSET', KEYS[1], 'failures', failures, 'lockedUntil', lockedUntil, 'lastAttemptAt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {allowed, retryAfter}
`;

/** Takes back one counted failure unless the key was ever locked, as the memory store does. */
const FORGIVE_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'failures', 'lockedUntil')
if tonumber(state[2]) == 0 and (tonumber(state[1]) or 0) > 0 then
  redis.call('HINCRBY', KEYS[1], 'failures', -1)
end
return 0
`;

/**
 * Extra lifetime of a key past `forgetAfterMs`, in ms. Redis expires keys on its own clock,
 * but the script compares the callers' clocks. The margin keeps a key for a caller whose clock
 * runs behind Redis's, while the script's own check still resets the count on time.
 */
const EXPIRY_MARGIN_MS = 60_000;

type RegisterCommand = (key: string, ...args: number[]) => Promise<[number, number]>;
type ForgiveCommand = (key: string) => Promise<number>;

export interface RedisLoginStoreOptions {
  /** An ioredis client; the store defines two script commands on it. */
  redis: Redis;
  /** Prepended to every key (default `keyward:login:`). */
  keyPrefix?: string;
}

/**
 * Creates failure counts shared by every instance through Redis. Each operation is one atomic
 * script run, sent by EVALSHA (ioredis `defineCommand`). Times come from the caller's clock, as
 * in the memory store. Locks last seconds to minutes, so clock skew of a few ms between
 * instances does not matter. A failed call rejects with the ioredis error.
 */
export function createRedisLoginStore(options: RedisLoginStoreOptions): LoginAttemptStore {
  const { redis, keyPrefix = 'keyward:login:' } = options;
  redis.defineCommand('keywardLoginRegister', { numberOfKeys: 1, lua: REGISTER_SCRIPT });
  redis.defineCommand('keywardLoginForgive', { numberOfKeys: 1, lua: FORGIVE_SCRIPT });
  const commands = redis as unknown as Record<string, RegisterCommand & ForgiveCommand>;
  const register = commands.keywardLoginRegister!.bind(redis) as RegisterCommand;
  const forgive = commands.keywardLoginForgive!.bind(redis) as ForgiveCommand;

  // Keys hold emails and client addresses; hashing keeps them out of Redis dumps and monitors.
  const redisKey = (key: string) =>
    keyPrefix + createHash('sha256').update(key).digest('base64url');

  return {
    async register(key: string, rule: BackoffRule, now: number): Promise<AttemptOutcome> {
      const [allowed, retryAfterMs] = await register(
        redisKey(key),
        Math.floor(now),
        rule.freeFailures,
        rule.baseLockMs,
        rule.maxLockMs,
        rule.forgetAfterMs,
        rule.forgetAfterMs + EXPIRY_MARGIN_MS,
      );
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
    },

    async reset(key: string): Promise<void> {
      await redis.del(redisKey(key));
    },

    async forgiveOne(key: string): Promise<void> {
      await forgive(redisKey(key));
    },
  };
}
