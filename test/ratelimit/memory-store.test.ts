import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type MemoryRateLimitStore } from '../../src/ratelimit/index.js';
import { EPOCH_MS } from './simulate.js';
import { runStoreContract } from './store-contract.js';

const stores: MemoryRateLimitStore[] = [];
function makeStore(maxKeys = 100_000): MemoryRateLimitStore {
  const store = createMemoryStore({ maxKeys });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe('memory store contract', () => {
  runStoreContract(() => makeStore());
});

describe('memory store memory', () => {
  const policy = { limit: 10, windowMs: 60_000 };

  it('stays within maxKeys', () => {
    const store = makeStore(100);
    for (let index = 0; index < 1000; index += 1) {
      store.consume(`key_${index}`, policy, 1, EPOCH_MS);
      expect(store.size).toBeLessThanOrEqual(100);
    }

    expect(store.size).toBeGreaterThanOrEqual(90);
  });

  it('evicts the oldest keys first', () => {
    const store = makeStore(10);
    for (let index = 0; index < 11; index += 1) store.consume(`key_${index}`, policy, 10, EPOCH_MS);

    // key_0 lost its state, so it has a full burst again; key_10 is still spent.
    expect(store.consume('key_0', policy, 0, EPOCH_MS).remaining).toBe(10);
    expect(store.consume('key_10', policy, 0, EPOCH_MS).remaining).toBe(0);
  });

  it('drops full buckets before evicting', () => {
    const store = makeStore(10);
    for (let index = 0; index < 9; index += 1) store.consume(`idle_${index}`, policy, 1, EPOCH_MS);
    store.consume('busy', policy, 10, EPOCH_MS);
    store.consume('new', policy, 1, EPOCH_MS + 6_000);

    expect(store.size).toBe(2);
    expect(store.consume('busy', policy, 0, EPOCH_MS + 6_000).remaining).toBe(1);
  });

  it('sweeps keys whose bucket is full again', () => {
    const store = makeStore();
    store.consume('short', policy, 1, EPOCH_MS);
    store.consume('long', policy, 5, EPOCH_MS);

    expect(store.sweep(EPOCH_MS + 5_999)).toBe(0);
    expect(store.sweep(EPOCH_MS + 6_000)).toBe(1);
    expect(store.size).toBe(1);
    expect(store.sweep(EPOCH_MS + 30_000)).toBe(1);
    expect(store.size).toBe(0);
  });

  it('stores nothing for peeks and refusals', () => {
    const store = makeStore();
    store.consume('peek', policy, 0, EPOCH_MS);
    store.consume('too-large', policy, 11, EPOCH_MS);

    expect(store.size).toBe(0);
  });

  it('sweeps by the latest clock it saw', () => {
    const store = makeStore();
    store.consume('first', policy, 1, EPOCH_MS);
    store.consume('second', policy, 0, EPOCH_MS + 10_000);

    expect(store.sweep()).toBe(1);
  });
});
