import fc from 'fast-check';
import { applyGcra, mustStoreTat } from '../../src/ratelimit/gcra.js';
import type { RateLimitPolicy } from '../../src/ratelimit/index.js';

/** One request in a simulated sequence: epoch ms and cost. */
export interface Arrival {
  at: number;
  cost: number;
}

/** Realistic epoch start for simulated clocks, in ms. */
export const EPOCH_MS = 1_767_225_600_000;

/** Runs arrivals in order through the pure GCRA for one key; returns whether each passed. */
export function simulate(policy: RateLimitPolicy, arrivals: Arrival[], startTatUs?: number) {
  let tatUs = startTatUs;
  return arrivals.map(({ at, cost }) => {
    const decision = applyGcra(tatUs, at, policy, cost);
    if (mustStoreTat(tatUs, decision, cost)) tatUs = decision.tatUs;
    return decision.allowed;
  });
}

/** Emission interval in whole ms, rounded up: the smallest spacing at the rate on a ms clock. */
export function intervalMs(policy: RateLimitPolicy): number {
  return Math.ceil(policy.windowMs / policy.limit);
}

/**
 * Policies from 1 per 2 minutes to 300 per ms, with and without an explicit burst. Half of them
 * have a whole-ms emission interval and many a burst of 1 or 2, where rounding errors would show.
 */
export const policyArbitrary: fc.Arbitrary<RateLimitPolicy> = fc
  .record({
    limit: fc.integer({ min: 1, max: 300 }),
    windowMs: fc.integer({ min: 1, max: 120_000 }),
    wholeInterval: fc.boolean(),
    burst: fc.option(fc.oneof(fc.constantFrom(1, 2), fc.integer({ min: 1, max: 40 })), {
      nil: undefined,
    }),
  })
  .map(({ limit, windowMs, wholeInterval, burst }) => {
    const window = wholeInterval ? limit * Math.ceil(windowMs / limit / 50) : windowMs;
    return burst === undefined ? { limit, windowMs: window } : { limit, windowMs: window, burst };
  });

/**
 * Arrival sequences for a policy: gaps from 0 (bursts) to about three emission intervals, and
 * costs that are mostly 1 with some peeks (0) and heavier requests.
 */
export function arrivalsArbitrary(policy: RateLimitPolicy, maxLength = 120) {
  const step = intervalMs(policy);
  const gap = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 * step }), fc.constant(step));
  const cost = fc.oneof(fc.constant(1), fc.constant(1), fc.constantFrom(0, 2, 3));
  return fc.array(fc.tuple(gap, cost), { maxLength }).map((steps) => {
    let at = EPOCH_MS;
    return steps.map(([delta, weight]) => {
      at += delta;
      return { at, cost: weight };
    });
  });
}
