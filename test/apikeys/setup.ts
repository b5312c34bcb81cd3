import { randomBytes } from 'node:crypto';
import {
  type ApiKeyService,
  type ApiKeyServiceOptions,
  type ApiKeyStore,
  createApiKeyService,
  type Peppers,
} from '../../src/apikeys/index.js';
import { newId } from '../../src/ids.js';
import { createMemoryStore, createRateLimiter } from '../../src/ratelimit/index.js';
import { createKyselyApiKeyStore } from '../../src/storage/kysely/api-key-store.js';
import { openTestSqlite, type TestDatabase } from '../helpers/databases.js';

/** 2026-01-15 12:00 UTC: mid-month and mid-day, so refill boundaries are far in both directions. */
export const T0 = Date.UTC(2026, 0, 15, 12);
export const DAY = 86_400_000;

/** Returns a clock that moves only when the test advances or sets it. */
export function testClock(start = T0) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
    set(ms: number) {
      time = ms;
    },
  };
}

/** Makes a fresh pepper at test time, so no secret is stored in the repository. */
export function testPeppers(version = 1, previous: Peppers['previous'] = []): Peppers {
  return { current: { version, secret: randomBytes(32).toString('base64url') }, previous };
}

/** Wraps a store so the test can count calls per method. */
export function countingStore(store: ApiKeyStore) {
  const calls = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  const total = () => [...calls.values()].reduce((sum, count) => sum + count, 0);
  return { store: counted, calls, total };
}

export interface ServiceFixture {
  service: ApiKeyService;
  store: ApiKeyStore;
  calls: Map<string, number>;
  totalCalls(): number;
  clock: ReturnType<typeof testClock>;
  database: TestDatabase;
  peppers: Peppers;
  /** Inserts a user row and returns its id, since user keys reference users. */
  addUser(): Promise<string>;
  /** Builds another service over the same database, as a second instance would be. */
  otherInstance(overrides?: Partial<ApiKeyServiceOptions>): ApiKeyService;
  close(): Promise<void>;
}

/** Builds a service over a fresh SQLite file, with a controlled clock for it and its limiter. */
export async function createServiceFixture(
  overrides: Partial<ApiKeyServiceOptions> = {},
): Promise<ServiceFixture> {
  const database = await openTestSqlite();
  const { store, calls, total } = countingStore(createKyselyApiKeyStore(database.handle.db));
  const clock = testClock();
  const peppers = overrides.peppers ?? testPeppers();
  const services: ApiKeyService[] = [];

  function build(extra: Partial<ApiKeyServiceOptions>): ApiKeyService {
    const limiter = createRateLimiter({
      store: createMemoryStore({ sweepIntervalMs: 0 }),
      now: clock.now,
    });
    const service = createApiKeyService({
      store,
      peppers,
      limiter,
      environment: 'test',
      now: clock.now,
      flushIntervalMs: 0,
      ...overrides,
      ...extra,
    });
    services.push(service);
    return service;
  }

  return {
    service: build({}),
    store,
    calls,
    totalCalls: total,
    clock,
    database,
    peppers,
    async addUser() {
      const id = newId('usr');
      const row = { id, email: `${id}@example.com`, password_hash: 'x', scopes: '[]' };
      await database.handle.db
        .insertInto('users')
        .values({ ...row, created_at: T0, updated_at: T0 })
        .execute();
      return id;
    },
    otherInstance: (extra = {}) => build(extra),
    async close() {
      await Promise.all(services.map((service) => service.close()));
      await database.drop();
    },
  };
}

/** The operator actor of the CLI. */
export const operator = { type: 'operator', name: 'cli' } as const;

/** A user actor for `userId`. */
export const user = (userId: string) => ({ type: 'user', userId }) as const;
