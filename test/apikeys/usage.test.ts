import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/apikeys/logger.js';
import type { ApiKeyStore } from '../../src/apikeys/store.js';
import { createUsageRecorder } from '../../src/apikeys/usage.js';
import { createServiceFixture, operator, type ServiceFixture, T0 } from './setup.js';

let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  vi.useRealTimers();
});

describe('last-used times', () => {
  it('are written in one batch on flush, not per verification', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await fixture.service.create(operator, { name: 'svc' });
    for (let i = 0; i < 5; i += 1) {
      fixture.clock.advance(1000);
      await fixture.service.verifyKey(plaintextKey);
    }
    expect(fixture.calls.get('touchLastUsed')).toBeUndefined();
    expect((await fixture.service.get(operator, key.id)).lastUsedAt).toBeNull();

    await fixture.service.flush();
    expect(fixture.calls.get('touchLastUsed')).toBe(1);
    expect((await fixture.service.get(operator, key.id)).lastUsedAt).toBe(
      new Date(T0 + 5000).toISOString(),
    );
  });

  it('are flushed by the background timer', async () => {
    vi.useFakeTimers();
    fixture = await createServiceFixture({ flushIntervalMs: 10_000 });
    const { plaintextKey } = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.verifyKey(plaintextKey);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fixture.calls.get('touchLastUsed')).toBe(1);
  });

  it('are kept for the next flush when a write fails', async () => {
    const written: { id: string; lastUsedAt: number }[][] = [];
    let fail = true;
    const store = {
      async touchLastUsed(entries: { id: string; lastUsedAt: number }[]) {
        if (fail) throw new Error('database unavailable');
        written.push(entries);
      },
      async insertEvents() {},
    } as unknown as ApiKeyStore;
    const recorder = createUsageRecorder({
      store,
      logger: silentLogger,
      flushIntervalMs: 0,
      failureSampleMs: 60_000,
      now: () => T0,
    });
    recorder.recordUse('key_a', T0);
    await recorder.flush();
    fail = false;
    recorder.recordUse('key_a', T0 - 5);
    await recorder.flush();
    expect(written).toEqual([[{ id: 'key_a', lastUsedAt: T0 }]]);
  });
});

describe('failure events', () => {
  it('write one row per key and code per sample period', async () => {
    fixture = await createServiceFixture({ failureSampleMs: 60_000 });
    const { key, plaintextKey } = await fixture.service.create(operator, {
      name: 'svc',
      ratelimit: { limit: 1, windowMs: 3_600_000 },
    });
    await fixture.service.verifyKey(plaintextKey);
    for (let i = 0; i < 100; i += 1) {
      expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('RATE_LIMITED');
    }
    fixture.clock.advance(60_000);
    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.flush();

    const failures = (await fixture.service.events(operator, key.id)).filter(
      (event) => event.type === 'verification_failed',
    );
    expect(failures).toHaveLength(2);
    expect(failures.map((event) => event.reason)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('are recorded for each failure code separately', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await fixture.service.create(operator, {
      name: 'svc',
      scopes: ['a'],
    });
    await fixture.service.verifyKey(plaintextKey, { requiredScopes: ['b'] });
    await fixture.service.disable(operator, key.id);
    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.revoke(operator, key.id);
    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.close();

    const reasons = (await fixture.store.listEvents(key.id, 50))
      .filter((event) => event.type === 'verification_failed')
      .map((event) => event.reason);
    expect(reasons.sort()).toEqual(['DISABLED', 'INSUFFICIENT_SCOPE', 'REVOKED']);
  });
});
