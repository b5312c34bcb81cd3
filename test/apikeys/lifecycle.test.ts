import { afterEach, describe, expect, it } from 'vitest';
import { MAX_METADATA_BYTES } from '../../src/apikeys/index.js';
import { isKeywardError } from '../../src/errors/index.js';
import { createServiceFixture, DAY, operator, type ServiceFixture, T0, user } from './setup.js';

let fixture: ServiceFixture;
afterEach(() => fixture.close());

const HOUR = 3_600_000;

function rejectsWith(code: string) {
  return (error: unknown) => isKeywardError(error) && error.code === code;
}

describe('create', () => {
  it('returns the plaintext once and stores only its hash', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await fixture.service.create(operator, {
      name: '  billing  ',
      scopes: ['keys:verify', 'keys:verify'],
      metadata: { team: 'billing' },
    });
    expect(key).toMatchObject({
      name: 'billing',
      userId: null,
      scopes: ['keys:verify'],
      status: 'active',
      createdAt: new Date(T0).toISOString(),
      expiresAt: null,
      start: plaintextKey.slice(0, 12),
    });
    expect(key.id).toMatch(/^key_[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(key)).not.toContain(plaintextKey.slice(12));
    const stored = await fixture.store.findKeyById(key.id);
    expect(JSON.stringify(stored)).not.toContain(plaintextKey);
    expect(JSON.stringify(await fixture.service.get(operator, key.id))).not.toContain(plaintextKey);
  });

  it('limits a user key to the owner’s scopes', async () => {
    fixture = await createServiceFixture();
    const userId = await fixture.addUser();
    const ownerScopes = ['keys:read', 'keys:write'];
    const ok = await fixture.service.create(user(userId), {
      name: 'a',
      scopes: ['keys:read'],
      ownerScopes,
    });
    expect(ok.key.userId).toBe(userId);

    const attempt = fixture.service.create(user(userId), {
      name: 'b',
      scopes: ['admin'],
      ownerScopes,
    });
    await expect(attempt).rejects.toSatisfy(rejectsWith('insufficient_scope'));
    const noOwnerScopes = fixture.service.create(user(userId), {
      name: 'c',
      scopes: ['keys:read'],
    });
    await expect(noOwnerScopes).rejects.toSatisfy(rejectsWith('insufficient_scope'));
  });

  it('lets an operator give a service key any scope', async () => {
    fixture = await createServiceFixture();
    const { key } = await fixture.service.create(operator, {
      name: 'svc',
      scopes: ['admin', 'keys:verify'],
    });
    expect(key.scopes).toEqual(['admin', 'keys:verify']);
  });

  it('accepts metadata up to 4 KB and rejects more', async () => {
    fixture = await createServiceFixture();
    const padding = (bytes: number) => ({ note: 'x'.repeat(bytes - '{"note":""}'.length) });
    await fixture.service.create(operator, { name: 'fits', metadata: padding(MAX_METADATA_BYTES) });
    const tooLarge = fixture.service.create(operator, {
      name: 'big',
      metadata: padding(MAX_METADATA_BYTES + 1),
    });
    await expect(tooLarge).rejects.toSatisfy(rejectsWith('validation_failed'));
  });

  it('rejects invalid names, scopes, expiries, limits and credits', async () => {
    fixture = await createServiceFixture();
    const invalid = [
      { name: '' },
      { name: 'x'.repeat(101) },
      { name: 'tab\there' },
      { name: 'ok', scopes: ['has space'] },
      { name: 'ok', metadata: [] as unknown as Record<string, unknown> },
      { name: 'ok', expiresAt: T0 },
      { name: 'ok', ratelimit: { limit: 0, windowMs: 1000 } },
      { name: 'ok', credits: { remaining: -1 } },
      { name: 'ok', credits: { remaining: 1, refill: { amount: 1, interval: 'week' as 'day' } } },
    ];
    for (const input of invalid) {
      await expect(
        fixture.service.create(operator, input),
        JSON.stringify(input),
      ).rejects.toSatisfy(rejectsWith('validation_failed'));
    }
    expect(await fixture.store.listKeys(undefined)).toEqual([]);
  });

  it('records a created event with the actor', async () => {
    fixture = await createServiceFixture();
    const { key } = await fixture.service.create(operator, { name: 'svc' });
    const events = await fixture.service.events(operator, key.id);
    expect(events).toEqual([
      {
        id: expect.any(Number),
        keyId: key.id,
        type: 'created',
        reason: null,
        actor: 'cli',
        createdAt: new Date(T0).toISOString(),
      },
    ]);
  });
});

describe('key count', () => {
  it('caps the live keys of a user and counts revoked ones out', async () => {
    fixture = await createServiceFixture({ maxKeysPerUser: 2 });
    const owner = user(await fixture.addUser());
    const first = await fixture.service.create(owner, { name: 'one', ownerScopes: [] });
    await fixture.service.create(owner, { name: 'two', ownerScopes: [] });
    const third = await fixture.service
      .create(owner, { name: 'three', ownerScopes: [] })
      .catch((e) => e);
    expect(third.code).toBe('validation_failed');
    expect(third.details.detail).toContain('at most 2 live API keys');

    await fixture.service.revoke(owner, first.key.id);
    await expect(
      fixture.service.create(owner, { name: 'three', ownerScopes: [] }),
    ).resolves.toBeDefined();
    // Service keys made by operators are not capped.
    for (const name of ['a', 'b', 'c']) await fixture.service.create(operator, { name });
  });
});

describe('ownership', () => {
  it('lists only the caller’s keys, newest first', async () => {
    fixture = await createServiceFixture();
    const [alice, bob] = [await fixture.addUser(), await fixture.addUser()];
    const first = await fixture.service.create(user(alice), { name: 'first' });
    fixture.clock.advance(1);
    const second = await fixture.service.create(user(alice), { name: 'second' });
    await fixture.service.create(user(bob), { name: 'bob' });

    const listed = await fixture.service.list(user(alice));
    expect(listed.map((key) => key.id)).toEqual([second.key.id, first.key.id]);
    expect(await fixture.service.list(operator)).toHaveLength(3);
  });

  it('raises not_found for another user’s key', async () => {
    fixture = await createServiceFixture();
    const [alice, bob] = [await fixture.addUser(), await fixture.addUser()];
    const { key } = await fixture.service.create(user(alice), { name: 'alice' });
    const { service } = fixture;
    const attempts = [
      service.get(user(bob), key.id),
      service.rotate(user(bob), key.id),
      service.revoke(user(bob), key.id),
      service.disable(user(bob), key.id),
      service.enable(user(bob), key.id),
      service.update(user(bob), key.id, { name: 'mine' }),
      service.events(user(bob), key.id),
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toSatisfy(rejectsWith('not_found'));
    }
    expect((await service.get(user(alice), key.id)).status).toBe('active');
  });
});

describe('rotate', () => {
  it('keeps both keys valid and listed until the grace period ends', async () => {
    fixture = await createServiceFixture();
    const old = await fixture.service.create(operator, {
      name: 'svc',
      scopes: ['a'],
      metadata: { n: 1 },
    });
    const next = await fixture.service.rotate(operator, old.key.id, { gracePeriodMs: HOUR });

    expect(next.key).toMatchObject({
      name: 'svc',
      scopes: ['a'],
      metadata: { n: 1 },
      rotatedFrom: old.key.id,
    });
    expect(next.plaintextKey).not.toBe(old.plaintextKey);
    expect((await fixture.service.list(operator)).map((key) => key.id).sort()).toEqual(
      [old.key.id, next.key.id].sort(),
    );
    expect((await fixture.service.verifyKey(old.plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.verifyKey(next.plaintextKey)).code).toBe('VALID');

    fixture.clock.advance(HOUR);
    expect((await fixture.service.verifyKey(old.plaintextKey)).code).toBe('EXPIRED');
    expect((await fixture.service.verifyKey(next.plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.get(operator, old.key.id)).status).toBe('expired');
  });

  it('uses a 24-hour grace period by default', async () => {
    fixture = await createServiceFixture();
    const old = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.rotate(operator, old.key.id);
    expect((await fixture.service.get(operator, old.key.id)).expiresAt).toBe(
      new Date(T0 + DAY).toISOString(),
    );
  });

  it('rejects a grace period above the maximum', async () => {
    fixture = await createServiceFixture({ maxGracePeriodMs: DAY });
    const old = await fixture.service.create(operator, { name: 'svc' });
    const attempt = fixture.service.rotate(operator, old.key.id, { gracePeriodMs: DAY + 1 });
    await expect(attempt).rejects.toSatisfy(rejectsWith('validation_failed'));
  });

  it('rejects rotating a revoked, expired or already rotated key', async () => {
    fixture = await createServiceFixture();
    const revoked = await fixture.service.create(operator, { name: 'r' });
    await fixture.service.revoke(operator, revoked.key.id);
    const expiring = await fixture.service.create(operator, { name: 'e', expiresAt: T0 + 10 });
    const rotated = await fixture.service.create(operator, { name: 'o' });
    await fixture.service.rotate(operator, rotated.key.id);
    fixture.clock.advance(10);

    for (const id of [revoked.key.id, expiring.key.id, rotated.key.id]) {
      await expect(fixture.service.rotate(operator, id)).rejects.toSatisfy(
        rejectsWith('validation_failed'),
      );
    }
  });

  it('records rotated and created events that point at each other', async () => {
    fixture = await createServiceFixture();
    const old = await fixture.service.create(operator, { name: 'svc' });
    const next = await fixture.service.rotate(operator, old.key.id);
    const [rotated] = await fixture.service.events(operator, old.key.id);
    const [created] = await fixture.service.events(operator, next.key.id);
    expect(rotated).toMatchObject({ type: 'rotated', reason: next.key.id, actor: 'cli' });
    expect(created).toMatchObject({ type: 'created', reason: old.key.id, actor: 'cli' });
  });
});

describe('revoke, disable, enable and update', () => {
  it('records one event per change and none for repeats', async () => {
    fixture = await createServiceFixture();
    const { key } = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.disable(operator, key.id);
    await fixture.service.disable(operator, key.id);
    await fixture.service.enable(operator, key.id);
    await fixture.service.update(operator, key.id, { name: 'renamed', metadata: { a: 1 } });
    await fixture.service.revoke(operator, key.id);
    await fixture.service.revoke(operator, key.id);

    const events = await fixture.service.events(operator, key.id);
    expect(events.map((event) => event.type)).toEqual([
      'revoked',
      'updated',
      'enabled',
      'disabled',
      'created',
    ]);
    expect(events[1]?.reason).toBe('name,metadata');
    expect(await fixture.service.get(operator, key.id)).toMatchObject({
      name: 'renamed',
      status: 'revoked',
    });
  });

  it('rejects changes to a revoked key', async () => {
    fixture = await createServiceFixture();
    const { key } = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.revoke(operator, key.id);
    await expect(fixture.service.enable(operator, key.id)).rejects.toSatisfy(
      rejectsWith('validation_failed'),
    );
    await expect(fixture.service.update(operator, key.id, { name: 'x' })).rejects.toSatisfy(
      rejectsWith('validation_failed'),
    );
  });

  it('applies an updated rate limit at once on this instance', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.update(operator, key.id, { ratelimit: { limit: 1, windowMs: 60_000 } });
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('RATE_LIMITED');
  });

  it('pages through events', async () => {
    fixture = await createServiceFixture();
    const { key } = await fixture.service.create(operator, { name: 'svc' });
    await fixture.service.disable(operator, key.id);
    await fixture.service.enable(operator, key.id);
    const first = await fixture.service.events(operator, key.id, { limit: 2 });
    const rest = await fixture.service.events(operator, key.id, { limit: 2, before: first[1]!.id });
    expect([...first, ...rest].map((event) => event.type)).toEqual([
      'enabled',
      'disabled',
      'created',
    ]);
    await expect(fixture.service.events(operator, key.id, { limit: 0 })).rejects.toSatisfy(
      rejectsWith('validation_failed'),
    );
  });
});

describe('user rate limits', () => {
  it('may not exceed the service default', async () => {
    fixture = await createServiceFixture({ defaultRateLimit: { limit: 100, windowMs: 60_000 } });
    const userId = await fixture.addUser();
    const slower = await fixture.service.create(user(userId), {
      name: 'ok',
      ratelimit: { limit: 10, windowMs: 60_000 },
    });
    expect(slower.key.ratelimit).toEqual({ limit: 10, windowMs: 60_000 });

    for (const ratelimit of [
      { limit: 101, windowMs: 60_000 },
      { limit: 100, windowMs: 59_999 },
      { limit: 10, windowMs: 60_000, burst: 101 },
    ]) {
      const attempt = fixture.service.create(user(userId), { name: 'fast', ratelimit });
      await expect(attempt).rejects.toSatisfy(rejectsWith('validation_failed'));
    }
    const update = fixture.service.update(user(userId), slower.key.id, {
      ratelimit: { limit: 1000, windowMs: 60_000 },
    });
    await expect(update).rejects.toSatisfy(rejectsWith('validation_failed'));
  });

  it('is not capped for an operator', async () => {
    fixture = await createServiceFixture({ defaultRateLimit: { limit: 100, windowMs: 60_000 } });
    const { key } = await fixture.service.create(operator, {
      name: 'svc',
      ratelimit: { limit: 10_000, windowMs: 1000 },
    });
    expect(key.ratelimit?.limit).toBe(10_000);
  });
});

describe('createApiKeyService options', () => {
  it('rejects invalid sizes, times and environments', async () => {
    fixture = await createServiceFixture();
    expect(() => fixture.otherInstance({ cache: { ttlMs: -1 } })).toThrow(RangeError);
    expect(() => fixture.otherInstance({ flushIntervalMs: 0.5 })).toThrow(RangeError);
    expect(() => fixture.otherInstance({ environment: 'Live' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => fixture.otherInstance({ defaultRateLimit: { limit: 0, windowMs: 1 } })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});
