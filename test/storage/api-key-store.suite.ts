import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyRecord, ApiKeyStore, NewApiKeyEvent } from '../../src/apikeys/index.js';
import { newId } from '../../src/ids.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import type { Database } from '../../src/storage/schema.js';
import type { TestDatabase } from '../helpers/databases.js';

/** A store under test, a way to add the users that keys reference, and its clean-up. */
export interface ApiKeyStoreFixture {
  store: ApiKeyStore;
  /** Inserts a user row, since user keys reference users by foreign key. */
  addUser(userId: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds a fixture over a migrated test database; closing it drops the database. */
export function fixtureFor(
  database: TestDatabase,
  createStore: (db: Kysely<Database>) => ApiKeyStore,
): ApiKeyStoreFixture {
  const { db } = database.handle;
  return {
    store: createStore(db),
    async addUser(userId) {
      const row = { id: userId, email: `${userId}@example.com`, password_hash: 'x', scopes: '[]' };
      await db
        .insertInto('users')
        .values({ ...row, created_at: T0, updated_at: T0 })
        .execute();
    },
    close: () => database.drop(),
  };
}

// The unique index on rotated_from comes with migration 0002, which the runner may not list yet.
const successorIndexMigrated = Object.keys(
  await migrationProvider('sqlite').getMigrations(),
).includes('0002-api-key-successor');

const T0 = Date.UTC(2026, 0, 15, 12);
const DAY = 86_400_000;

function makeKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: newId('key'),
    userId: null,
    name: 'test key',
    prefix: 'kw_test_',
    start: 'kw_test_Ab12',
    hash: randomBytes(32).toString('base64url'),
    hashVersion: 1,
    scopes: ['keys:verify'],
    metadata: { team: 'billing', tier: 2 },
    createdAt: T0,
    updatedAt: T0,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    disabledAt: null,
    rotatedFrom: null,
    credits: null,
    ratelimit: null,
    ...overrides,
  };
}

function event(keyId: string, type: NewApiKeyEvent['type'], createdAt = T0): NewApiKeyEvent {
  return { keyId, type, reason: null, actor: 'cli', createdAt };
}

/** Defines the behaviour every ApiKeyStore must have; run once per database. */
export function apiKeyStoreSuite(name: string, openStore: () => Promise<ApiKeyStoreFixture>) {
  describe(`API key store on ${name}`, () => {
    let fixture: ApiKeyStoreFixture;
    let store: ApiKeyStore;

    beforeAll(async () => {
      fixture = await openStore();
      store = fixture.store;
    });
    afterAll(() => fixture.close());

    async function insert(overrides: Partial<ApiKeyRecord> = {}): Promise<ApiKeyRecord> {
      const record = makeKey(overrides);
      await store.insertKey(record, [event(record.id, 'created')]);
      return record;
    }

    describe('keys', () => {
      it('round-trips every field', async () => {
        const userId = newId('usr');
        await fixture.addUser(userId);
        const record = await insert({
          userId,
          expiresAt: T0 + DAY,
          credits: { remaining: 7, refill: { amount: 10, interval: 'month' }, refilledAt: T0 },
          ratelimit: { limit: 5, windowMs: 1000, burst: 2 },
        });
        expect(await store.findKeyById(record.id)).toEqual(record);
      });

      it('round-trips a key without credits or limit', async () => {
        const record = await insert();
        expect(await store.findKeyById(record.id)).toEqual(record);
      });

      it('finds a key by any of its candidate hashes', async () => {
        const record = await insert();
        const other = randomBytes(32).toString('base64url');
        expect((await store.findKeyByHashes([other, record.hash]))?.id).toBe(record.id);
        expect(await store.findKeyByHashes([other])).toBeUndefined();
        expect(await store.findKeyByHashes([])).toBeUndefined();
      });

      it('lists keys by owner, service keys, and all keys', async () => {
        const userId = newId('usr');
        await fixture.addUser(userId);
        const older = await insert({ userId, createdAt: T0 });
        const newer = await insert({ userId, createdAt: T0 + 1 });
        const service = await insert({ createdAt: T0 + 2 });

        const owned = await store.listKeys(userId);
        expect(owned.map((key) => key.id)).toEqual([newer.id, older.id]);
        const serviceKeys = (await store.listKeys(null)).map((key) => key.id);
        expect(serviceKeys).toContain(service.id);
        expect(serviceKeys).not.toContain(older.id);
        const all = (await store.listKeys(undefined)).map((key) => key.id);
        expect(all).toEqual(expect.arrayContaining([older.id, newer.id, service.id]));
      });

      it('updates a key and writes its event together', async () => {
        const record = await insert();
        const changes = { name: 'renamed', disabledAt: T0 + 5, updatedAt: T0 + 5 };
        const updated = await store.updateKey(record.id, changes, [event(record.id, 'disabled')]);
        expect(updated).toMatchObject({ name: 'renamed', disabledAt: T0 + 5, updatedAt: T0 + 5 });
        expect(updated?.metadata).toEqual(record.metadata);
        const types = (await store.listEvents(record.id, 10)).map((e) => e.type);
        expect(types).toEqual(['disabled', 'created']);
      });

      it('clears a rate limit with null', async () => {
        const record = await insert({ ratelimit: { limit: 1, windowMs: 1000 } });
        const updated = await store.updateKey(record.id, { ratelimit: null, updatedAt: T0 }, []);
        expect(updated?.ratelimit).toBeNull();
      });

      it('returns undefined and writes no event when updating a missing key', async () => {
        const id = newId('key');
        expect(
          await store.updateKey(id, { updatedAt: T0 }, [event(id, 'revoked')]),
        ).toBeUndefined();
        expect(await store.listEvents(id, 10)).toEqual([]);
      });

      it('replaces a hash only while the old one is stored', async () => {
        const record = await insert();
        await store.rehashKey(record.id, 'not-the-hash', 'new-hash-a', 2);
        expect((await store.findKeyById(record.id))?.hashVersion).toBe(1);
        await store.rehashKey(record.id, record.hash, 'new-hash-b', 2);
        expect(await store.findKeyById(record.id)).toMatchObject({
          hash: 'new-hash-b',
          hashVersion: 2,
        });
      });

      it('raises last_used_at but never lowers it', async () => {
        const record = await insert();
        await store.touchLastUsed([{ id: record.id, lastUsedAt: T0 + 10 }]);
        await store.touchLastUsed([{ id: record.id, lastUsedAt: T0 + 5 }]);
        expect((await store.findKeyById(record.id))?.lastUsedAt).toBe(T0 + 10);
      });
    });

    describe('rotation', () => {
      it('moves credits to the successor and caps the old expiry', async () => {
        const credits = {
          remaining: 40,
          refill: { amount: 50, interval: 'day' as const },
          refilledAt: T0,
        };
        const old = await insert({ credits });
        const successor = makeKey({ rotatedFrom: old.id, credits: null });
        const stored = await store.rotateKey({
          oldId: old.id,
          successor,
          graceEndsAt: T0 + DAY,
          events: [event(old.id, 'rotated'), event(successor.id, 'created')],
        });

        expect(stored?.credits).toEqual(credits);
        expect(await store.findKeyById(successor.id)).toEqual(stored);
        const after = await store.findKeyById(old.id);
        expect(after?.expiresAt).toBe(T0 + DAY);
        expect(after?.credits).toEqual({ remaining: 0, refill: null, refilledAt: T0 });
        expect((await store.findSuccessor(old.id))?.id).toBe(successor.id);
      });

      it('keeps an expiry earlier than the grace end', async () => {
        const old = await insert({ expiresAt: T0 + 1000 });
        const successor = makeKey({ rotatedFrom: old.id, expiresAt: T0 + 1000 });
        await store.rotateKey({ oldId: old.id, successor, graceEndsAt: T0 + DAY, events: [] });
        expect((await store.findKeyById(old.id))?.expiresAt).toBe(T0 + 1000);
      });

      it('rotates a key only once', async () => {
        const old = await insert();
        const first = makeKey({ rotatedFrom: old.id });
        const second = makeKey({ rotatedFrom: old.id });
        const rotation = { oldId: old.id, graceEndsAt: T0 + DAY, events: [] };
        expect(await store.rotateKey({ ...rotation, successor: first })).toBeDefined();
        expect(await store.rotateKey({ ...rotation, successor: second })).toBeUndefined();
        expect(await store.findKeyById(second.id)).toBeUndefined();
      });

      it.runIf(successorIndexMigrated)('lets one of two concurrent rotations through', async () => {
        const old = await insert();
        const rotation = { oldId: old.id, graceEndsAt: T0 + DAY, events: [] };
        const results = await Promise.all([
          store.rotateKey({ ...rotation, successor: makeKey({ rotatedFrom: old.id }) }),
          store.rotateKey({ ...rotation, successor: makeKey({ rotatedFrom: old.id }) }),
        ]);
        expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      });

      it('refuses to rotate a revoked or missing key', async () => {
        const revoked = await insert({ revokedAt: T0 });
        const successor = makeKey({ rotatedFrom: revoked.id });
        const rotation = { successor, graceEndsAt: T0 + DAY, events: [] };
        expect(await store.rotateKey({ ...rotation, oldId: revoked.id })).toBeUndefined();
        expect(await store.rotateKey({ ...rotation, oldId: newId('key') })).toBeUndefined();
        expect(await store.findKeyById(successor.id)).toBeUndefined();
      });

      it('finds no successor once the successor is revoked', async () => {
        const old = await insert();
        const successor = makeKey({ rotatedFrom: old.id });
        await store.rotateKey({ oldId: old.id, successor, graceEndsAt: T0 + DAY, events: [] });
        await store.updateKey(successor.id, { revokedAt: T0, updatedAt: T0 }, []);
        expect(await store.findSuccessor(old.id)).toBeUndefined();
      });
    });

    describe('credits', () => {
      const noRefill = { refill: null, refilledAt: null };

      it('spends credits while enough remain', async () => {
        const record = await insert({ credits: { remaining: 3, ...noRefill } });
        expect(await store.spendCredits(record.id, 2, 2, undefined)).toEqual({
          spent: true,
          remaining: 1,
        });
        expect(await store.spendCredits(record.id, 2, 2, undefined)).toEqual({
          spent: false,
          remaining: 1,
        });
        expect(await store.spendCredits(record.id, 1, 1, undefined)).toEqual({
          spent: true,
          remaining: 0,
        });
      });

      it('checks without spending when the cost is 0', async () => {
        const record = await insert({ credits: { remaining: 1, ...noRefill } });
        expect(await store.spendCredits(record.id, 0, 1, undefined)).toEqual({
          spent: true,
          remaining: 1,
        });
      });

      it('returns undefined for a key with unlimited use', async () => {
        const record = await insert();
        expect(await store.spendCredits(record.id, 1, 1, undefined)).toBeUndefined();
      });

      it('lets exactly 10 of 50 parallel spends through 10 credits', async () => {
        const record = await insert({ credits: { remaining: 10, ...noRefill } });
        const spends = Array.from({ length: 50 }, () =>
          store.spendCredits(record.id, 1, 1, undefined),
        );
        const results = await Promise.all(spends);
        expect(results.filter((result) => result?.spent)).toHaveLength(10);
        expect((await store.findKeyById(record.id))?.credits?.remaining).toBe(0);
      });

      it('refills once per period, up to the refill amount', async () => {
        const refill = { amount: 5, interval: 'day' as const };
        const record = await insert({ credits: { remaining: 0, refill, refilledAt: T0 } });
        const nextDay = T0 + DAY;
        const both = await Promise.all([
          store.spendCredits(record.id, 1, 1, nextDay),
          store.spendCredits(record.id, 1, 1, nextDay),
        ]);
        expect(both.map((result) => result?.spent)).toEqual([true, true]);
        const stored = await store.findKeyById(record.id);
        expect(stored?.credits).toMatchObject({ remaining: 3, refilledAt: nextDay });
      });

      it('keeps credits above the refill amount', async () => {
        const refill = { amount: 5, interval: 'day' as const };
        const record = await insert({ credits: { remaining: 9, refill, refilledAt: T0 } });
        expect(await store.spendCredits(record.id, 1, 1, T0 + DAY)).toEqual({
          spent: true,
          remaining: 8,
        });
      });
    });

    describe('events', () => {
      it('lists events newest first, in pages', async () => {
        const record = await insert();
        await store.insertEvents([
          event(record.id, 'disabled', T0 + 1),
          event(record.id, 'enabled', T0 + 2),
        ]);
        const all = await store.listEvents(record.id, 10);
        expect(all.map((e) => e.type)).toEqual(['enabled', 'disabled', 'created']);
        expect(all[0]).toMatchObject({
          keyId: record.id,
          actor: 'cli',
          reason: null,
          createdAt: T0 + 2,
        });

        const firstPage = await store.listEvents(record.id, 2);
        const secondPage = await store.listEvents(record.id, 2, firstPage.at(-1)!.id);
        expect(secondPage.map((e) => e.type)).toEqual(['created']);
      });

      it('accepts an empty batch', async () => {
        await expect(store.insertEvents([])).resolves.toBeUndefined();
        await expect(store.touchLastUsed([])).resolves.toBeUndefined();
      });
    });
  });
}
