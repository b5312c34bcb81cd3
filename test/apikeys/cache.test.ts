import { describe, expect, it } from 'vitest';
import { createKeyCache, UNKNOWN_KEY } from '../../src/apikeys/cache.js';
import type { ApiKeyRecord } from '../../src/apikeys/model.js';

const record = (id: string) => ({ id }) as ApiKeyRecord;

describe('createKeyCache', () => {
  it('evicts the least recently used key beyond the maximum', () => {
    const cache = createKeyCache({ maxEntries: 2 });
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.set('h2', record('key_2'), 0, cache.epoch);
    expect(cache.get('h1', 0)).toBeDefined();
    cache.set('h3', record('key_3'), 0, cache.epoch);

    expect(cache.get('h1', 0)).toEqual(record('key_1'));
    expect(cache.get('h2', 0)).toBeUndefined();
    expect(cache.get('h3', 0)).toEqual(record('key_3'));
  });

  it('expires entries after the TTL', () => {
    const cache = createKeyCache({ ttlMs: 100, unknownTtlMs: 10 });
    cache.set('known', record('key_1'), 0, cache.epoch);
    cache.set('unknown', UNKNOWN_KEY, 0, cache.epoch);
    expect(cache.get('unknown', 9)).toBe(UNKNOWN_KEY);
    expect(cache.get('unknown', 10)).toBeUndefined();
    expect(cache.get('known', 99)).toEqual(record('key_1'));
    expect(cache.get('known', 100)).toBeUndefined();
  });

  it('drops a key by id', () => {
    const cache = createKeyCache();
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.invalidate('key_1');
    expect(cache.get('h1', 0)).toBeUndefined();
  });

  it('ignores a lookup that started before an invalidation', () => {
    const cache = createKeyCache();
    const epoch = cache.epoch;
    cache.invalidate('key_other');
    cache.set('h1', record('key_1'), 0, epoch);
    expect(cache.get('h1', 0)).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = createKeyCache({ ttlMs: 0, unknownTtlMs: 0 });
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.set('h2', UNKNOWN_KEY, 0, cache.epoch);
    expect(cache.get('h1', 0)).toBeUndefined();
    expect(cache.get('h2', 0)).toBeUndefined();
  });
});

describe('createKeyCache eviction', () => {
  it('keeps recently read keys while many others pass through', () => {
    const cache = createKeyCache({ maxEntries: 100 });
    cache.set('hot', record('key_hot'), 0, cache.epoch);
    for (let i = 0; i < 10_000; i += 1) {
      cache.set(`cold${i}`, record(`key_${i}`), 0, cache.epoch);
      expect(cache.get('hot', 0)).toEqual(record('key_hot'));
    }
    expect(cache.get('cold9999', 0)).toBeDefined();
    expect(cache.get('cold9899', 0)).toBeUndefined();
  });

  it('invalidates a key cached again after its eviction', () => {
    const cache = createKeyCache({ maxEntries: 1 });
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.set('h2', record('key_2'), 0, cache.epoch);
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.set('h1', record('key_1'), 0, cache.epoch);
    cache.invalidate('key_1');
    expect(cache.get('h1', 0)).toBeUndefined();
  });
});
