import { afterEach, describe, expect, it } from 'vitest';
import { randomBase62 } from '../../src/apikeys/base62.js';
import { generateApiKey } from '../../src/apikeys/format.js';
import { createKeyHasher } from '../../src/apikeys/peppers.js';
import { isKeywardError } from '../../src/errors/index.js';
import {
  createMemoryStore,
  createRateLimiter,
  type RateLimitStore,
} from '../../src/ratelimit/index.js';
import {
  createServiceFixture,
  DAY,
  operator,
  type ServiceFixture,
  T0,
  testClock,
  testPeppers,
  user,
} from './setup.js';

let fixture: ServiceFixture;
afterEach(() => fixture.close());

async function serviceKey(
  input: Parameters<ServiceFixture['service']['create']>[1] = { name: 'svc' },
) {
  return fixture.service.create(operator, input);
}

describe('verifyKey codes', () => {
  it('returns VALID with the key fields', async () => {
    fixture = await createServiceFixture({ defaultRateLimit: { limit: 10, windowMs: 60_000 } });
    const { key, plaintextKey } = await serviceKey({
      name: 'svc',
      scopes: ['keys:verify'],
      expiresAt: T0 + DAY,
    });
    const result = await fixture.service.verifyKey(plaintextKey);
    expect(result).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: key.id,
      userId: null,
      scopes: ['keys:verify'],
      expiresAt: new Date(T0 + DAY).toISOString(),
      credits: null,
      ratelimit: { limit: 10, remaining: 9 },
    });
    expect(result.ratelimit?.resetAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('returns NOT_FOUND for malformed, unknown and other-environment keys', async () => {
    fixture = await createServiceFixture();
    const unknown = generateApiKey('test').plaintextKey;
    const otherEnvironment = generateApiKey('live').plaintextKey;
    for (const text of ['', 'garbage', unknown, otherEnvironment]) {
      const result = await fixture.service.verifyKey(text);
      expect(result.code).toBe('NOT_FOUND');
      expect(result.valid).toBe(false);
      expect(result.keyId).toBeNull();
    }
  });

  it('returns REVOKED for a revoked key', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await serviceKey();
    await fixture.service.revoke(operator, key.id);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });

  it('returns EXPIRED once the expiry passes, even from the cache', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', expiresAt: T0 + 1000 });
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    fixture.clock.advance(1000);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('EXPIRED');
  });

  it('returns DISABLED while disabled and VALID after enabling', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await serviceKey();
    await fixture.service.disable(operator, key.id);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('DISABLED');
    await fixture.service.enable(operator, key.id);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
  });

  it('returns INSUFFICIENT_SCOPE when a required scope is missing', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', scopes: ['a'] });
    expect((await fixture.service.verifyKey(plaintextKey, { requiredScopes: ['a'] })).code).toBe(
      'VALID',
    );
    const result = await fixture.service.verifyKey(plaintextKey, { requiredScopes: ['a', 'b'] });
    expect(result.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('returns RATE_LIMITED with a retry time once the key limit is spent', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({
      name: 'svc',
      ratelimit: { limit: 2, windowMs: 1000 },
    });
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    const limited = await fixture.service.verifyKey(plaintextKey);
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfterMs).toBe(500);
    expect(limited.ratelimit).toMatchObject({ limit: 2, remaining: 0 });
    expect(limited.decision?.allowed).toBe(false);
  });

  it('returns USAGE_EXCEEDED once the credits are spent', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', credits: { remaining: 1 } });
    expect(await fixture.service.verifyKey(plaintextKey)).toMatchObject({
      code: 'VALID',
      credits: { remaining: 0 },
    });
    const spent = await fixture.service.verifyKey(plaintextKey);
    expect(spent).toMatchObject({
      code: 'USAGE_EXCEEDED',
      valid: false,
      credits: { remaining: 0 },
    });
  });

  it('checks revocation before expiry and expiry before disabling', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await serviceKey({ name: 'svc', expiresAt: T0 + 1000 });
    await fixture.service.disable(operator, key.id);
    fixture.clock.advance(1000);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('EXPIRED');
    await fixture.service.revoke(operator, key.id);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });

  it('rejects a negative or fractional cost', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey();
    for (const cost of [-1, 0.5]) {
      await expect(fixture.service.verifyKey(plaintextKey, { cost })).rejects.toSatisfy(
        (error: unknown) => isKeywardError(error, 'validation_failed'),
      );
    }
  });
});

describe('verifyKey rate limits', () => {
  it('applies the default limit to keys without their own', async () => {
    fixture = await createServiceFixture({ defaultRateLimit: { limit: 1, windowMs: 60_000 } });
    const { plaintextKey } = await serviceKey();
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('RATE_LIMITED');
  });

  it('limits all keys of one user together', async () => {
    fixture = await createServiceFixture({ userRateLimit: { limit: 3, windowMs: 60_000 } });
    const userId = await fixture.addUser();
    const first = await fixture.service.create(user(userId), { name: 'a' });
    const second = await fixture.service.create(user(userId), { name: 'b' });
    const codes = [];
    for (const key of [first, second, first, second]) {
      codes.push((await fixture.service.verifyKey(key.plaintextKey)).code);
    }
    expect(codes).toEqual(['VALID', 'VALID', 'VALID', 'RATE_LIMITED']);
  });

  it("gives a key's request back when the owner's limit refuses it", async () => {
    fixture = await createServiceFixture({
      defaultRateLimit: { limit: 2, windowMs: 60_000 },
      userRateLimit: { limit: 3, windowMs: 60_000 },
    });
    const userId = await fixture.addUser();
    const first = await fixture.service.create(user(userId), { name: 'a' });
    const second = await fixture.service.create(user(userId), { name: 'b' });
    const code = async (key: string) => (await fixture.service.verifyKey(key)).code;

    // The owner's 3 are spent by 2 requests of the first key and 1 of the second.
    const spent = [await code(first.plaintextKey), await code(first.plaintextKey)];
    spent.push(await code(second.plaintextKey));
    // Each retry passes the second key's own limit, then the owner's refuses it.
    const retries = [await code(second.plaintextKey), await code(second.plaintextKey)];
    // One request of the owner's limit comes back after 20 s; the key's own needs 30 s a request.
    fixture.clock.advance(20_000);
    const later = await fixture.service.verifyKey(second.plaintextKey);

    expect(spent).toEqual(['VALID', 'VALID', 'VALID']);
    expect(retries).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(later.code).toBe('VALID');
    expect(later.ratelimit?.remaining).toBe(0);
  });

  it('gives nothing back when the key limit could not be spent', async () => {
    const clock = testClock();
    const memory = createMemoryStore({ sweepIntervalMs: 0 });
    let failNext: string | undefined;
    const store: RateLimitStore = {
      consume(key, policy, cost, now) {
        if (key === failNext) {
          failNext = undefined;
          throw new Error('store timed out');
        }
        return memory.consume(key, policy, cost, now);
      },
      refund: (key, policy, cost, now) => memory.refund(key, policy, cost, now),
    };
    fixture = await createServiceFixture({
      defaultRateLimit: { limit: 2, windowMs: 60_000 },
      userRateLimit: { limit: 3, windowMs: 60_000 },
      now: clock.now,
      limiter: createRateLimiter({ store, now: clock.now }),
    });
    const userId = await fixture.addUser();
    const first = await fixture.service.create(user(userId), { name: 'a' });
    const second = await fixture.service.create(user(userId), { name: 'b' });
    const code = async (key: string) => (await fixture.service.verifyKey(key)).code;
    await code(first.plaintextKey);
    await code(first.plaintextKey);
    await code(second.plaintextKey);

    // The key's store fails, so its decision is a degraded allow that spent nothing; the owner's
    // limit then refuses, and no refund may follow.
    failNext = `apikey:${first.key.id}`;
    const degraded = await code(first.plaintextKey);
    clock.advance(20_000);
    const later = await code(first.plaintextKey);

    expect(degraded).toBe('RATE_LIMITED');
    expect(later).toBe('RATE_LIMITED');
  });

  it('leaves service keys out of the per-user limit', async () => {
    fixture = await createServiceFixture({ userRateLimit: { limit: 1, windowMs: 60_000 } });
    const { plaintextKey } = await serviceKey();
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
  });
});

describe('verifyKey database use', () => {
  it('rejects random strings and checksum typos without store calls', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey();
    const before = fixture.totalCalls();
    const typo = `${plaintextKey.slice(0, 10)}${plaintextKey[10] === 'a' ? 'b' : 'a'}${plaintextKey.slice(11)}`;
    for (const text of [typo, `kw_test_${randomBase62(28)}`, 'Bearer nonsense', 'x'.repeat(5000)]) {
      expect((await fixture.service.verifyKey(text)).code).toBe('NOT_FOUND');
    }
    expect(fixture.totalCalls()).toBe(before);
  });

  it('serves a known key from the cache after the first lookup', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey();
    await fixture.service.verifyKey(plaintextKey);
    const before = fixture.totalCalls();
    for (let i = 0; i < 20; i += 1) {
      expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    }
    expect(fixture.totalCalls()).toBe(before);
  });

  it('looks a key up again after the TTL', async () => {
    fixture = await createServiceFixture({ cache: { ttlMs: 1000 } });
    const { plaintextKey } = await serviceKey();
    await fixture.service.verifyKey(plaintextKey);
    fixture.clock.advance(1000);
    await fixture.service.verifyKey(plaintextKey);
    expect(fixture.calls.get('findKeyByHashes')).toBe(2);
  });

  it('remembers an unknown well-formed key briefly', async () => {
    fixture = await createServiceFixture({ cache: { unknownTtlMs: 5000 } });
    const unknown = generateApiKey('test').plaintextKey;
    await fixture.service.verifyKey(unknown);
    await fixture.service.verifyKey(unknown);
    expect(fixture.calls.get('findKeyByHashes')).toBe(1);
    fixture.clock.advance(5000);
    await fixture.service.verifyKey(unknown);
    expect(fixture.calls.get('findKeyByHashes')).toBe(2);
  });

  it('rejects a revoked key at once on the instance that revoked it', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await serviceKey();
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('VALID');
    await fixture.service.revoke(operator, key.id);
    expect((await fixture.service.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });

  it('does not cache a record loaded before a concurrent revoke', async () => {
    fixture = await createServiceFixture();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowStore = {
      ...fixture.store,
      async findKeyByHashes(hashes: readonly string[]) {
        const record = await fixture.store.findKeyByHashes(hashes);
        await gate;
        return record;
      },
    };
    const service = fixture.otherInstance({ store: slowStore });
    const { key, plaintextKey } = await serviceKey();

    const pending = service.verifyKey(plaintextKey);
    await service.revoke(operator, key.id);
    release();
    expect((await pending).code).toBe('VALID');
    expect((await service.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });
});

describe('verifyKey invalidation across instances', () => {
  it('passes invalidations through the bus', async () => {
    const handlers: ((keyId: string) => void)[] = [];
    const bus = {
      publish: (keyId: string) => {
        for (const handler of handlers) handler(keyId);
      },
      subscribe: (handler: (keyId: string) => void) => {
        handlers.push(handler);
      },
    };
    fixture = await createServiceFixture({ invalidationBus: bus });
    const other = fixture.otherInstance();
    const { key, plaintextKey } = await serviceKey();
    expect((await other.verifyKey(plaintextKey)).code).toBe('VALID');
    await fixture.service.revoke(operator, key.id);
    expect((await other.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });

  it('tells onInvalidate listeners about local changes', async () => {
    fixture = await createServiceFixture();
    const seen: string[] = [];
    const stop = fixture.service.onInvalidate((keyId) => seen.push(keyId));
    const { key } = await serviceKey();
    await fixture.service.disable(operator, key.id);
    stop();
    await fixture.service.enable(operator, key.id);
    expect(seen).toEqual([key.id]);
  });

  it('keeps a stale record on an instance without the bus until its TTL', async () => {
    fixture = await createServiceFixture({ cache: { ttlMs: 30_000 } });
    const other = fixture.otherInstance();
    const { key, plaintextKey } = await serviceKey();
    await other.verifyKey(plaintextKey);
    await fixture.service.revoke(operator, key.id);
    expect((await other.verifyKey(plaintextKey)).code).toBe('VALID');
    other.invalidate(key.id);
    expect((await other.verifyKey(plaintextKey)).code).toBe('REVOKED');
  });
});

describe('verifyKey pepper rotation', () => {
  it('accepts a key hashed under a previous pepper and upgrades its hash', async () => {
    const oldPeppers = testPeppers(1);
    fixture = await createServiceFixture({ peppers: oldPeppers });
    const { key, plaintextKey } = await serviceKey();

    const newPeppers = testPeppers(2, [oldPeppers.current]);
    const upgraded = fixture.otherInstance({ peppers: newPeppers });
    expect((await upgraded.verifyKey(plaintextKey)).code).toBe('VALID');

    const stored = await fixture.store.findKeyById(key.id);
    expect(stored?.hashVersion).toBe(2);
    expect(stored?.hash).toBe(createKeyHasher(newPeppers).hash(plaintextKey));

    const retired = fixture.otherInstance({ peppers: testPeppers(2, []) });
    expect((await retired.verifyKey(plaintextKey)).code).toBe('NOT_FOUND');
    const onlyNew = fixture.otherInstance({ peppers: newPeppers });
    expect((await onlyNew.verifyKey(plaintextKey)).code).toBe('VALID');
  });

  it('rejects every key once the pepper is replaced without keeping the old one', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey();
    const other = fixture.otherInstance({ peppers: testPeppers(2) });
    expect((await other.verifyKey(plaintextKey)).code).toBe('NOT_FOUND');
  });
});

describe('verifyKey without I/O', () => {
  it('returns a plain result for a cached key under a memory limit', async () => {
    fixture = await createServiceFixture({ defaultRateLimit: { limit: 10, windowMs: 60_000 } });
    const { plaintextKey } = await serviceKey();

    // The first lookup reads SQLite; the second is served from the cache.
    const first = fixture.service.verifyKey(plaintextKey);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).code).toBe('VALID');
    const second = fixture.service.verifyKey(plaintextKey);

    expect(second).not.toBeInstanceOf(Promise);
    expect((second as Awaited<typeof second>).code).toBe('VALID');
  });

  it('returns a promise when credits must be spent', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', credits: { remaining: 5 } });
    await fixture.service.verifyKey(plaintextKey);

    const result = fixture.service.verifyKey(plaintextKey);

    expect(result).toBeInstanceOf(Promise);
    expect((await result).credits).toEqual({ remaining: 3 });
  });

  it('rejects an invalid cost instead of throwing', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey();
    await fixture.service.verifyKey(plaintextKey);

    const result = fixture.service.verifyKey(plaintextKey, { cost: -1 });

    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toSatisfy(isKeywardError);
  });
});

describe('admitKey', () => {
  it('gives the code and key fields of verifyKey for each outcome', async () => {
    fixture = await createServiceFixture();
    const valid = await serviceKey({ name: 'valid', scopes: ['a', 'b'] });
    const revoked = await serviceKey();
    await fixture.service.revoke(operator, revoked.key.id);
    const disabled = await serviceKey();
    await fixture.service.disable(operator, disabled.key.id);
    const limited = await serviceKey({ name: 'limited', ratelimit: { limit: 1, windowMs: 1000 } });
    await fixture.service.admitKey(limited.plaintextKey);
    const spent = await serviceKey({ name: 'spent', credits: { remaining: 0 } });

    expect(await fixture.service.admitKey(valid.plaintextKey)).toEqual({
      valid: true,
      code: 'VALID',
      keyId: valid.key.id,
      userId: null,
      scopes: ['a', 'b'],
      decision: null,
      limitedBy: null,
    });
    expect(await fixture.service.admitKey(generateApiKey('test').plaintextKey)).toEqual({
      valid: false,
      code: 'NOT_FOUND',
      keyId: null,
      userId: null,
      scopes: [],
      decision: null,
      limitedBy: null,
    });
    expect((await fixture.service.admitKey(revoked.plaintextKey)).code).toBe('REVOKED');
    expect((await fixture.service.admitKey(disabled.plaintextKey)).code).toBe('DISABLED');
    expect(await fixture.service.admitKey(limited.plaintextKey)).toMatchObject({
      valid: false,
      code: 'RATE_LIMITED',
      retryAfterMs: 1000,
      decision: { allowed: false, limit: 1 },
      limitedBy: 'key',
    });
    expect((await fixture.service.admitKey(spent.plaintextKey)).code).toBe('USAGE_EXCEEDED');
  });

  it('shares the cached scopes frozen, and verifyKey still returns a copy', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', scopes: ['a'] });
    const first = await fixture.service.admitKey(plaintextKey);
    const second = await fixture.service.admitKey(plaintextKey);

    expect(Object.isFrozen(second.scopes)).toBe(true);
    expect(second.scopes).toBe(first.scopes);
    const copy = (await fixture.service.verifyKey(plaintextKey)).scopes;
    copy.push('b');
    expect((await fixture.service.admitKey(plaintextKey)).scopes).toEqual(['a']);
  });

  it("tells the owner's limit from the key's, even when both are one policy", async () => {
    const policy = { limit: 2, windowMs: 60_000 };
    fixture = await createServiceFixture({ defaultRateLimit: policy, userRateLimit: policy });
    const userId = await fixture.addUser();
    const first = await fixture.service.create(user(userId), { name: 'a' });
    const second = await fixture.service.create(user(userId), { name: 'b' });

    const own = await fixture.service.admitKey(first.plaintextKey);
    await fixture.service.admitKey(first.plaintextKey);
    const shared = await fixture.service.admitKey(second.plaintextKey);

    // Both limits have one request left after the first call, and the key's comes first.
    expect(own).toMatchObject({ code: 'VALID', limitedBy: 'key' });
    expect(shared).toMatchObject({ code: 'RATE_LIMITED', limitedBy: 'owner' });
    const described = await fixture.service.verifyKey(second.plaintextKey, { cost: 0 });
    expect(described.ratelimit).toMatchObject({ remaining: 0, scope: 'owner' });
  });

  it('spends one credit a call', async () => {
    fixture = await createServiceFixture();
    const { plaintextKey } = await serviceKey({ name: 'svc', credits: { remaining: 2 } });
    await fixture.service.admitKey(plaintextKey);
    await fixture.service.admitKey(plaintextKey);

    expect((await fixture.service.admitKey(plaintextKey)).code).toBe('USAGE_EXCEEDED');
    expect((await fixture.service.verifyKey(plaintextKey, { cost: 0 })).credits).toEqual({
      remaining: 0,
    });
  });
});

describe('onVerify', () => {
  it('reports codes and key ids until removed', async () => {
    fixture = await createServiceFixture();
    const { key, plaintextKey } = await serviceKey();
    await fixture.service.disable(operator, key.id);
    const seen: [string, string | null][] = [];
    const remove = fixture.service.onVerify((code, keyId) => seen.push([code, keyId]));

    await fixture.service.verifyKey(plaintextKey);
    await fixture.service.admitKey('garbage');
    await fixture.service.enable(operator, key.id);
    await fixture.service.admitKey(plaintextKey);
    await expect(fixture.service.verifyKey(plaintextKey, { cost: -1 })).rejects.toThrow();
    remove();
    await fixture.service.verifyKey(plaintextKey);

    expect(seen).toEqual([
      ['DISABLED', key.id],
      ['NOT_FOUND', null],
      ['VALID', key.id],
    ]);
  });
});
