import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { RateLimitPolicy, RateLimitStore } from '../../src/ratelimit/index.js';
import { arrivalsArbitrary, EPOCH_MS, policyArbitrary, simulate } from './simulate.js';

/**
 * Registers the tests that every RateLimitStore passes. `makeStore` returns a store whose
 * decisions use the `now` passed to `consume`; each test uses fresh keys.
 */
export function runStoreContract(makeStore: () => RateLimitStore, propertyRuns = 100): void {
  const policy: RateLimitPolicy = { limit: 4, windowMs: 1000 };
  const newKey = () => `key_${randomUUID()}`;

  it('admits the burst at once, then refuses', async () => {
    const store = makeStore();
    const key = newKey();
    const remaining: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const decision = await store.consume(key, policy, 1, EPOCH_MS);
      expect(decision.allowed).toBe(true);
      remaining.push(decision.remaining);
    }
    const denied = await store.consume(key, policy, 1, EPOCH_MS);

    expect(remaining).toEqual([3, 2, 1, 0]);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBe(250);
    expect(denied.resetAt).toBe(EPOCH_MS + 1000);
  });

  it('gives back a spent request on refund', async () => {
    const store = makeStore();
    const key = newKey();
    for (let index = 0; index < 4; index += 1) await store.consume(key, policy, 1, EPOCH_MS);

    await store.refund(key, policy, 1, EPOCH_MS + 10);
    const afterRefund = await store.consume(key, policy, 1, EPOCH_MS + 10);
    const after = await store.consume(key, policy, 1, EPOCH_MS + 10);

    expect(afterRefund.allowed).toBe(true);
    expect(after.allowed).toBe(false);
    expect(after.retryAfterMs).toBe(240);
  });

  it('never fills a bucket past its burst on refund', async () => {
    const store = makeStore();
    const fresh = newKey();
    const refilled = newKey();
    await store.refund(fresh, policy, 2, EPOCH_MS);
    await store.consume(refilled, policy, 1, EPOCH_MS);
    await store.refund(refilled, policy, 3, EPOCH_MS + 1000);

    for (const key of [fresh, refilled]) {
      const decisions = [];
      for (let index = 0; index < 5; index += 1) {
        decisions.push((await store.consume(key, policy, 1, EPOCH_MS + 1000)).allowed);
      }
      expect(decisions, key).toEqual([true, true, true, true, false]);
    }
  });

  it('refills one request per emission interval', async () => {
    const store = makeStore();
    const key = newKey();
    for (let index = 0; index < 4; index += 1) await store.consume(key, policy, 1, EPOCH_MS);

    const early = await store.consume(key, policy, 1, EPOCH_MS + 249);
    const onTime = await store.consume(key, policy, 1, EPOCH_MS + 250);
    const next = await store.consume(key, policy, 1, EPOCH_MS + 250);

    expect(early.allowed).toBe(false);
    expect(early.retryAfterMs).toBe(1);
    expect(onTime.allowed).toBe(true);
    expect(next.allowed).toBe(false);
  });

  it('reports a full bucket at resetAt', async () => {
    const store = makeStore();
    const key = newKey();
    const spent = await store.consume(key, policy, 3, EPOCH_MS);
    const peek = await store.consume(key, policy, 0, spent.resetAt);

    expect(spent.resetAt).toBe(EPOCH_MS + 750);
    expect(spent.resetAfterMs).toBe(750);
    expect(peek.remaining).toBe(4);
    expect(peek.resetAfterMs).toBe(0);
  });

  it('peeks without spending at cost 0', async () => {
    const store = makeStore();
    const key = newKey();
    await store.consume(key, policy, 4, EPOCH_MS);
    const peeks = [];
    for (let index = 0; index < 5; index += 1) {
      peeks.push(await store.consume(key, policy, 0, EPOCH_MS + 250));
    }
    const spend = await store.consume(key, policy, 1, EPOCH_MS + 250);

    expect(peeks.map((peek) => peek.remaining)).toEqual([1, 1, 1, 1, 1]);
    expect(peeks.every((peek) => peek.allowed)).toBe(true);
    expect(spend.allowed).toBe(true);
    expect(spend.remaining).toBe(0);
  });

  it('refuses a cost above the burst without spending', async () => {
    const store = makeStore();
    const key = newKey();
    const tooLarge = await store.consume(key, policy, 5, EPOCH_MS);
    const after = await store.consume(key, policy, 4, EPOCH_MS);

    expect(tooLarge.allowed).toBe(false);
    expect(tooLarge.retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    expect(tooLarge.remaining).toBe(4);
    expect(after.allowed).toBe(true);
  });

  it('keeps keys independent', async () => {
    const store = makeStore();
    const [first, second] = [newKey(), newKey()];
    await store.consume(first, policy, 4, EPOCH_MS);
    const other = await store.consume(second, policy, 1, EPOCH_MS);

    expect(other.allowed).toBe(true);
    expect(other.remaining).toBe(3);
  });

  it('limits the lockout after the clock goes backwards', async () => {
    const store = makeStore();
    const key = newKey();
    await store.consume(key, policy, 1, EPOCH_MS + 3_600_000);
    const back = await store.consume(key, policy, 1, EPOCH_MS);
    const later = await store.consume(key, policy, 1, EPOCH_MS + 250);

    expect(back.allowed).toBe(false);
    expect(back.retryAfterMs).toBe(250);
    expect(later.allowed).toBe(true);
  });

  it('matches the pure GCRA for random arrivals', async () => {
    const store = makeStore();
    const scenario = policyArbitrary.chain((random) =>
      arrivalsArbitrary(random, 40).map((arrivals) => ({ policy: random, arrivals })),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ policy: random, arrivals }) => {
        const key = newKey();
        const admitted: boolean[] = [];
        for (const { at, cost } of arrivals) {
          admitted.push((await store.consume(key, random, cost, at)).allowed);
        }
        expect(admitted).toEqual(simulate(random, arrivals));
      }),
      { numRuns: propertyRuns },
    );
  });
}
