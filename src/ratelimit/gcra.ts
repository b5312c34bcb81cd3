import { toGcraParams } from './policy.js';
import type { RateLimitPolicy, StoreDecision } from './types.js';

/*
 * GCRA (generic cell rate algorithm, virtual scheduling form). Each key keeps one number, the
 * theoretical arrival time (TAT): the time at which its bucket would be full again if no more
 * requests came. With emission interval I = windowMs/limit and capacity burst·I, a request of
 * cost n moves the TAT by n·I and passes when the new TAT lies at most burst·I after now.
 * Times are whole microseconds inside, so the arithmetic on doubles stays exact.
 */

/**
 * Decides one request of `cost` at `nowMs` (epoch ms) for a key whose stored TAT is `storedTatUs`
 * (µs, undefined for a key with no state). Pure: the caller stores the returned `tatUs` when
 * `mustStoreTat` returns true. Cost 0 always passes and spends nothing, so it reads the state.
 * A cost above the burst never passes and gets `retryAfterMs: Infinity`.
 * The policy must have passed `validatePolicy`.
 */
export function applyGcra(
  storedTatUs: number | undefined,
  nowMs: number,
  policy: RateLimitPolicy,
  cost: number,
): StoreDecision {
  const { intervalUs, burst } = toGcraParams(policy);
  const nowUs = Math.round(nowMs * 1000);
  const capacityUs = burst * intervalUs;

  // A TAT beyond now + capacity cannot arise on a clock that only moves forward, so the clock went
  // backwards. Clamping treats the bucket as empty: no request is gained, and once the clamped TAT
  // is stored the lockout lasts at most one full refill instead of the size of the clock jump.
  const tatUs = Math.min(Math.max(storedTatUs ?? nowUs, nowUs), nowUs + capacityUs);
  if (cost > burst) return describeOutcome(false, tatUs, nowUs, Infinity, intervalUs, burst);

  const newTatUs = tatUs + cost * intervalUs;
  const allowAtUs = newTatUs - capacityUs;
  if (nowUs < allowAtUs) {
    return describeOutcome(false, tatUs, nowUs, allowAtUs - nowUs, intervalUs, burst);
  }
  return describeOutcome(true, newTatUs, nowUs, 0, intervalUs, burst);
}

/**
 * Returns the TAT (µs) of a key after `cost` that was spent is given back at `nowMs`, or
 * undefined when the bucket is then full, so the key carries no state. Subtracting from the TAT
 * undoes a spend even when other requests came between, because each spend added its own
 * `cost·I` to the TAT.
 */
export function refundGcra(
  storedTatUs: number | undefined,
  nowMs: number,
  policy: RateLimitPolicy,
  cost: number,
): number | undefined {
  if (storedTatUs === undefined) return undefined;
  const tatUs = storedTatUs - cost * toGcraParams(policy).intervalUs;
  return tatUs > Math.round(nowMs * 1000) ? tatUs : undefined;
}

/**
 * Tells whether a store must write the decision's TAT: after a positive cost was spent, or when
 * the TAT was clamped after the clock went backwards (the only case where it decreases).
 */
export function mustStoreTat(
  storedTatUs: number | undefined,
  decision: StoreDecision,
  cost: number,
): boolean {
  if (decision.allowed && cost > 0) return true;
  return storedTatUs !== undefined && decision.tatUs < storedTatUs;
}

/**
 * Builds a decision from the TAT after the step (µs), the decision time (µs) and the wait until
 * the request would pass (µs, `Infinity` for never). The Redis script returns these same values.
 * Millisecond outputs round up, so a client that waits them out is never early.
 */
export function describeOutcome(
  allowed: boolean,
  tatUs: number,
  nowUs: number,
  retryAfterUs: number,
  intervalUs: number,
  burst: number,
): StoreDecision {
  const resetAfterUs = Math.max(tatUs - nowUs, 0);
  const remaining = Math.floor((burst * intervalUs - resetAfterUs) / intervalUs);
  return {
    allowed,
    tatUs,
    remaining: Math.min(Math.max(remaining, 0), burst),
    resetAt: Math.ceil((nowUs + resetAfterUs) / 1000),
    resetAfterMs: Math.ceil(resetAfterUs / 1000),
    retryAfterMs: Math.ceil(retryAfterUs / 1000),
  };
}
