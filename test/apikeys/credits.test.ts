import { afterEach, describe, expect, it } from 'vitest';
import { refillPeriodStart } from '../../src/apikeys/credits.js';
import { createServiceFixture, DAY, operator, type ServiceFixture, T0 } from './setup.js';

let fixture: ServiceFixture;
afterEach(() => fixture.close());

describe('credits', () => {
  it('lets exactly 10 of 50 parallel verifications through 10 credits', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await fixture.service.create(operator, {
      name: 'svc',
      credits: { remaining: 10 },
    });
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => fixture.service.verifyKey(plaintextKey)),
    );

    expect(results.filter((result) => result.code === 'VALID')).toHaveLength(10);
    expect(results.filter((result) => result.code === 'USAGE_EXCEEDED')).toHaveLength(40);
    expect((await fixture.service.get(operator, key.id)).credits?.remaining).toBe(0);
  });

  it('spends the given cost and refuses a cost above the balance', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await fixture.service.create(operator, {
      name: 'svc',
      credits: { remaining: 5 },
    });
    expect((await fixture.service.verifyKey(plaintextKey, { cost: 3 })).credits).toEqual({
      remaining: 2,
    });
    const refused = await fixture.service.verifyKey(plaintextKey, { cost: 3 });
    expect(refused).toMatchObject({ code: 'USAGE_EXCEEDED', credits: { remaining: 2 } });
  });

  it('checks without spending at cost 0, and fails once nothing remains', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await fixture.service.create(operator, {
      name: 'svc',
      credits: { remaining: 1 },
    });
    expect(await fixture.service.verifyKey(plaintextKey, { cost: 0 })).toMatchObject({
      code: 'VALID',
      credits: { remaining: 1 },
    });
    await fixture.service.verifyKey(plaintextKey);
    expect((await fixture.service.verifyKey(plaintextKey, { cost: 0 })).code).toBe(
      'USAGE_EXCEEDED',
    );
  });

  it('refills at the start of each UTC day', async () => {
    fixture = await createServiceFixture();
    const credits = { remaining: 2, refill: { amount: 2, interval: 'day' as const } };
    const { plaintextKey } = await fixture.service.create(operator, { name: 'svc', credits });
    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.verifyKey(plaintextKey);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('USAGE_EXCEEDED');

    fixture.clock.set(refillPeriodStart('day', T0) + DAY - 1);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('USAGE_EXCEEDED');
    fixture.clock.advance(1);
    expect((await fixture.service.verifyKey(plaintextKey)).credits).toEqual({ remaining: 1 });
  });

  it('refills at the start of each UTC month', async () => {
    fixture = await createServiceFixture();
    const credits = { remaining: 1, refill: { amount: 3, interval: 'month' as const } };
    const { plaintextKey } = await fixture.service.create(operator, { name: 'svc', credits });
    await fixture.service.verifyKey(plaintextKey);

    fixture.clock.set(Date.UTC(2026, 0, 31, 23, 59));
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('USAGE_EXCEEDED');
    fixture.clock.set(Date.UTC(2026, 1, 1));
    expect((await fixture.service.verifyKey(plaintextKey)).credits).toEqual({ remaining: 2 });
  });

  it('moves credits to the successor on rotation', async () => {
    fixture = await createServiceFixture();
    const old = await fixture.service.create(operator, { name: 'svc', credits: { remaining: 3 } });
    const next = await fixture.service.rotate(operator, old.key.id);
    expect(next.key.credits).toEqual({ remaining: 3, refill: null });

    const codes = [];
    for (const key of [old, next, old, next]) {
      codes.push((await fixture.service.verifyKey(key.plaintextKey)).code);
    }
    expect(codes).toEqual(['VALID', 'VALID', 'VALID', 'USAGE_EXCEEDED']);
  });
});

describe('refillPeriodStart', () => {
  it('returns UTC midnight and the first of the UTC month', () => {
    const time = Date.UTC(2026, 2, 31, 23, 30);
    expect(refillPeriodStart('day', time)).toBe(Date.UTC(2026, 2, 31));
    expect(refillPeriodStart('month', time)).toBe(Date.UTC(2026, 2, 1));
  });
});
