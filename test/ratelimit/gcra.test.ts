import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyGcra, mustStoreTat } from '../../src/ratelimit/gcra.js';
import type { RateLimitPolicy } from '../../src/ratelimit/index.js';
import {
  type Arrival,
  arrivalsArbitrary,
  EPOCH_MS,
  intervalMs,
  policyArbitrary,
  simulate,
} from './simulate.js';

/**
 * Returns the first pair of admitted arrivals (by index) whose interval admits more than
 * burst + t·limit/windowMs units, or undefined. Integer arithmetic keeps the check exact.
 */
function findExcess(policy: RateLimitPolicy, arrivals: Arrival[], admitted: boolean[]) {
  const burst = policy.burst ?? policy.limit;
  const passed = arrivals.filter((_, index) => admitted[index]);
  for (let first = 0; first < passed.length; first += 1) {
    let units = 0;
    for (let last = first; last < passed.length; last += 1) {
      units += passed[last]!.cost;
      const elapsed = passed[last]!.at - passed[first]!.at;
      if ((units - burst) * policy.windowMs > elapsed * policy.limit) return [first, last];
    }
  }
  return undefined;
}

describe('applyGcra contract', () => {
  it('admits at most burst + t·limit/windowMs over any interval', () => {
    const scenario = policyArbitrary.chain((policy) =>
      arrivalsArbitrary(policy).map((arrivals) => ({ policy, arrivals })),
    );
    fc.assert(
      fc.property(scenario, ({ policy, arrivals }) => {
        const admitted = simulate(policy, arrivals);
        expect(findExcess(policy, arrivals, admitted)).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('admits any client at or below the rate', () => {
    const scenario = policyArbitrary.chain((policy) => {
      const step = intervalMs(policy);
      const gap = fc.oneof(fc.constant(step), fc.integer({ min: step, max: 2 * step }));
      const steadyGaps = fc.array(gap, {
        minLength: 1,
        maxLength: 60,
      });
      return fc.record({
        policy: fc.constant(policy),
        history: arrivalsArbitrary(policy, 60),
        steadyGaps,
      });
    });
    fc.assert(
      fc.property(scenario, ({ policy, history, steadyGaps }) => {
        const historyAdmitted = simulate(policy, history);
        const lastAdmitted = history.filter((_, index) => historyAdmitted[index]).at(-1);
        const lastArrival = history.at(-1)?.at ?? EPOCH_MS;

        // The steady client starts one interval after the last admitted request (a burst included).
        let at = Math.max(lastArrival, (lastAdmitted?.at ?? EPOCH_MS) + steadyGaps[0]!);
        const steady: Arrival[] = [];
        for (const gap of steadyGaps) {
          steady.push({ at, cost: 1 });
          at += gap;
        }

        const admitted = simulate(policy, [...history, ...steady]).slice(history.length);
        expect(admitted.every(Boolean)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses 2N requests around a fixed-window boundary', () => {
    const policy = { limit: 10, windowMs: 1000 };
    const arrivals = [
      ...Array.from({ length: 10 }, () => ({ at: EPOCH_MS + 999, cost: 1 })),
      ...Array.from({ length: 10 }, () => ({ at: EPOCH_MS + 1000, cost: 1 })),
    ];

    const admittedCount = simulate(policy, arrivals).filter(Boolean).length;

    // A fixed window resetting at +1000 would admit all 20 within 1 ms.
    expect(admittedCount).toBe(10);
  });

  it('admits a steady client right after a burst', () => {
    const policy = { limit: 5, windowMs: 1000, burst: 5 };
    const burst = Array.from({ length: 5 }, () => ({ at: EPOCH_MS, cost: 1 }));
    const steady = Array.from({ length: 20 }, (_, index) => ({
      at: EPOCH_MS + 200 * (index + 1),
      cost: 1,
    }));

    expect(simulate(policy, [...burst, ...steady]).every(Boolean)).toBe(true);
  });
});

describe('applyGcra decision', () => {
  const policy = { limit: 4, windowMs: 1000 };

  it('counts remaining down from the burst', () => {
    const first = applyGcra(undefined, EPOCH_MS, policy, 1);
    const second = applyGcra(first.tatUs, EPOCH_MS, policy, 1);

    expect(first.remaining).toBe(3);
    expect(second.remaining).toBe(2);
    expect(second.resetAfterMs).toBe(500);
    expect(second.resetAt).toBe(EPOCH_MS + 500);
  });

  it('sets retryAfterMs to the wait', () => {
    let tatUs: number | undefined;
    for (let index = 0; index < 4; index += 1) tatUs = applyGcra(tatUs, EPOCH_MS, policy, 1).tatUs;

    const denied = applyGcra(tatUs, EPOCH_MS + 100, policy, 1);
    const retried = applyGcra(tatUs, EPOCH_MS + 100 + denied.retryAfterMs, policy, 1);

    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBe(150);
    expect(denied.tatUs).toBe(tatUs);
    expect(retried.allowed).toBe(true);
  });

  it('peeks without spending at cost 0', () => {
    const spent = applyGcra(undefined, EPOCH_MS, policy, 3);
    const peek = applyGcra(spent.tatUs, EPOCH_MS, policy, 0);

    expect(peek.allowed).toBe(true);
    expect(peek.tatUs).toBe(spent.tatUs);
    expect(peek.remaining).toBe(1);
    expect(peek.retryAfterMs).toBe(0);
  });

  it('refuses a cost above the burst for ever', () => {
    const decision = applyGcra(undefined, EPOCH_MS, policy, 5);

    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    expect(decision.remaining).toBe(4);
    expect(decision.tatUs).toBe(EPOCH_MS * 1000);
  });

  it('bounds the lockout after the clock goes backwards', () => {
    const spent = applyGcra(undefined, EPOCH_MS + 3_600_000, policy, 1);

    // The clock steps back an hour: the bucket counts as empty, not as an hour in debt.
    const back = applyGcra(spent.tatUs, EPOCH_MS, policy, 1);
    const refilled = applyGcra(back.tatUs, EPOCH_MS + 250, policy, 1);

    expect(back.allowed).toBe(false);
    expect(back.retryAfterMs).toBe(250);
    expect(back.remaining).toBe(0);
    expect(mustStoreTat(spent.tatUs, back, 1)).toBe(true);
    expect(refilled.allowed).toBe(true);
  });

  it('rounds a fractional interval up', () => {
    const thirds = { limit: 3, windowMs: 1000, burst: 1 };
    const first = applyGcra(undefined, EPOCH_MS, thirds, 1);
    const early = applyGcra(first.tatUs, EPOCH_MS + 333, thirds, 1);
    const onTime = applyGcra(first.tatUs, EPOCH_MS + 334, thirds, 1);

    expect(first.tatUs - EPOCH_MS * 1000).toBe(333_334);
    expect(early.allowed).toBe(false);
    expect(onTime.allowed).toBe(true);
  });
});
