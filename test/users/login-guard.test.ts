import { describe, expect, it } from 'vitest';
import { isKeywardError } from '../../src/errors/index.js';
import { type BackoffRule, createLoginGuard, lockDurationMs } from '../../src/users/login-guard.js';
import { createMemoryLoginStore } from '../../src/users/memory-login-store.js';

const rule: BackoffRule = {
  freeFailures: 3,
  baseLockMs: 1_000,
  maxLockMs: 60_000,
  forgetAfterMs: 3_600_000,
};
const generous: BackoffRule = { ...rule, freeFailures: 1_000 };

function setup(perClient = generous) {
  let time = 1_000_000;
  const guard = createLoginGuard({
    store: createMemoryLoginStore(),
    perAccount: rule,
    perClient,
    now: () => time,
  });
  const fail = () => Promise.reject(new Error('wrong password'));
  return { guard, fail, advance: (ms: number) => (time += ms) };
}

async function attempt<T>(promise: Promise<T>) {
  return promise.then(
    () => 'ok',
    (error) => (isKeywardError(error, 'login_throttled') ? 'throttled' : 'failed'),
  );
}

describe('login guard', () => {
  it('locks an account after its free failures', async () => {
    const { guard, fail } = setup();
    const outcomes = [];
    for (let i = 0; i < 6; i++)
      outcomes.push(await attempt(guard.guard('a@example.com', '10.0.0.1', fail)));
    expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'throttled', 'throttled']);
  });

  it('runs no more checks than allowed under a parallel flood', async () => {
    const { guard } = setup();
    let checks = 0;
    const slowFail = async () => {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('wrong password');
    };
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        attempt(guard.guard('a@example.com', `10.0.0.${i}`, slowFail)),
      ),
    );
    expect(checks).toBe(rule.freeFailures + 1);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(100 - checks);
  });

  it('unlocks the account by itself after the back-off', async () => {
    const { guard, fail, advance } = setup();
    for (let i = 0; i < 4; i++) await attempt(guard.guard('a@example.com', '10.0.0.1', fail));
    expect(await attempt(guard.guard('a@example.com', '10.0.0.2', async () => 'user'))).toBe(
      'throttled',
    );
    advance(lockDurationMs(rule, 1));
    expect(await attempt(guard.guard('a@example.com', '10.0.0.2', async () => 'user'))).toBe('ok');
  });

  it('doubles the lock with each further failure up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => lockDurationMs(rule, n))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(lockDurationMs(rule, 40)).toBe(60_000);
  });

  it('throttles a client address across accounts', async () => {
    const { guard, fail } = setup({ ...rule, freeFailures: 2 });
    const outcomes = [];
    for (let i = 0; i < 4; i++)
      outcomes.push(await attempt(guard.guard(`u${i}@example.com`, '10.0.0.9', fail)));
    expect(outcomes).toEqual(['failed', 'failed', 'failed', 'throttled']);
  });

  it('clears the account count after a successful login', async () => {
    const { guard, fail } = setup();
    for (let i = 0; i < 3; i++) await attempt(guard.guard('a@example.com', '10.0.0.1', fail));
    expect(await attempt(guard.guard('a@example.com', '10.0.0.1', async () => 'user'))).toBe('ok');
    expect(await attempt(guard.guard('a@example.com', '10.0.0.1', fail))).toBe('failed');
  });

  it('sets Retry-After from the remaining lock', async () => {
    const { guard, fail } = setup();
    for (let i = 0; i < 4; i++) await attempt(guard.guard('a@example.com', '10.0.0.1', fail));
    const error = await guard.guard('a@example.com', '10.0.0.1', fail).catch((e) => e);
    expect(error.code).toBe('login_throttled');
    expect(error.details.retryAfterMs).toBe(1_000);
  });
});
