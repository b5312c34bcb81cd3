import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { BackoffRule, LoginAttemptStore } from '../../../src/users/login-guard.js';

const rule: BackoffRule = {
  freeFailures: 3,
  baseLockMs: 1000,
  maxLockMs: 4000,
  forgetAfterMs: 60_000,
};
const start = 1_700_000_000_000;

/** Registers the tests that every LoginAttemptStore passes; each test uses fresh keys. */
export function runLoginStoreContract(makeStore: () => LoginAttemptStore): void {
  const newKey = () => `account:${randomUUID()}@example.com`;

  async function registerTimes(store: LoginAttemptStore, key: string, count: number, now: number) {
    const outcomes = [];
    for (let index = 0; index < count; index++) outcomes.push(await store.register(key, rule, now));
    return outcomes;
  }

  it('allows the free failures and the one that locks', async () => {
    const store = makeStore();
    const outcomes = await registerTimes(store, newKey(), 5, start);

    expect(outcomes.slice(0, 4)).toEqual(Array(4).fill({ allowed: true }));
    expect(outcomes[4]).toEqual({ allowed: false, retryAfterMs: 1000 });
  });

  it('reports the time left of a lock', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 4, start);

    expect(await store.register(key, rule, start + 400)).toEqual({
      allowed: false,
      retryAfterMs: 600,
    });
  });

  it('doubles the lock with each failure past it', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 4, start);
    // Refused attempts during the lock are not counted, so the next lock is only twice as long.
    await registerTimes(store, key, 3, start + 500);

    expect(await store.register(key, rule, start + 1000)).toEqual({ allowed: true });
    expect(await store.register(key, rule, start + 1000)).toEqual({
      allowed: false,
      retryAfterMs: 2000,
    });
  });

  it('caps the lock at maxLockMs', async () => {
    const store = makeStore();
    const key = newKey();
    let time = start;
    for (let failure = 0; failure < 8; failure++) {
      const outcome = await store.register(key, rule, time);
      time += outcome.allowed ? 0 : outcome.retryAfterMs;
      if (!outcome.allowed) await store.register(key, rule, time);
    }

    expect(await store.register(key, rule, time)).toEqual({ allowed: false, retryAfterMs: 4000 });
  });

  it('forgets failures after forgetAfterMs without an attempt', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 4, start);

    const later = start + rule.forgetAfterMs + 1;
    expect(await registerTimes(store, key, 4, later)).toEqual(Array(4).fill({ allowed: true }));
  });

  it('remembers failures while attempts continue', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 3, start);
    await store.register(key, rule, start + 50_000);

    // 100 s after the first failure but only 50 s after the last one: still the fifth failure.
    expect(await store.register(key, rule, start + 100_000)).toEqual({ allowed: true });
    expect(await store.register(key, rule, start + 100_000)).toEqual({
      allowed: false,
      retryAfterMs: 2000,
    });
  });

  it('clears a key on reset', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 4, start);
    await store.reset(key);

    expect(await registerTimes(store, key, 4, start)).toEqual(Array(4).fill({ allowed: true }));
  });

  it('forgives one failure before any lock', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 3, start);
    await store.forgiveOne(key);

    expect(await store.register(key, rule, start)).toEqual({ allowed: true });
    expect(await store.register(key, rule, start)).toEqual({ allowed: true });
    expect((await store.register(key, rule, start)).allowed).toBe(false);
  });

  it('forgives nothing once the key was locked', async () => {
    const store = makeStore();
    const key = newKey();
    await registerTimes(store, key, 4, start);
    await store.forgiveOne(key);

    expect(await store.register(key, rule, start + 1000)).toEqual({ allowed: true });
    expect((await store.register(key, rule, start + 1000)).allowed).toBe(false);
  });

  it('ignores forgiveOne for an unknown key', async () => {
    const store = makeStore();
    const key = newKey();
    await store.forgiveOne(key);

    expect(await registerTimes(store, key, 4, start)).toEqual(Array(4).fill({ allowed: true }));
  });

  it('keeps keys apart', async () => {
    const store = makeStore();
    const locked = newKey();
    await registerTimes(store, locked, 5, start);

    expect(await store.register(newKey(), rule, start)).toEqual({ allowed: true });
  });

  it('counts parallel attempts atomically', async () => {
    const store = makeStore();
    const key = newKey();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => store.register(key, rule, start)),
    );

    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(rule.freeFailures + 1);
  });
}
