import { hash } from 'node:crypto';
import type { ApiKeyRecord } from './model.js';

/** Sizes and lifetimes of the verification cache. Times in milliseconds. */
export interface KeyCacheOptions {
  /** Maximum cached keys (default 10 000). */
  maxEntries?: number;
  /** How long a cached key is trusted without a database read (default 30 000, 0 = off). */
  ttlMs?: number;
  /** Maximum remembered unknown keys (default 10 000). */
  unknownMaxEntries?: number;
  /** How long an unknown key is rejected without a database read (default 5 000, 0 = off). */
  unknownTtlMs?: number;
}

/**
 * Returns the cache key of a plaintext key: its SHA-256 digest, base64url. The stored hash is an
 * HMAC under the pepper, so that a leaked database cannot confirm a key. In this process the
 * pepper is next to the cache, so a keyed hash would protect nothing more, and the plain digest
 * costs a sixth of an HMAC on every request. A key body has about 131 random bits, far too many
 * to find a key from its digest by trying.
 */
export function keyCacheKey(plaintextKey: string): string {
  return hash('sha256', plaintextKey, 'base64url');
}

/** Marks a cache key that the store did not contain at the last lookup. */
export const UNKNOWN_KEY = Symbol('unknown key');

/**
 * A per-instance cache of key records, keyed by `keyCacheKey` so it never contains a plaintext key.
 * Invalidating a key id also voids lookups that were in flight, through `epoch`.
 */
export interface KeyCache {
  get(hash: string, now: number): ApiKeyRecord | typeof UNKNOWN_KEY | undefined;
  /** Counter of invalidations. Read it before a lookup and pass it to `set`. */
  readonly epoch: number;
  /** Caches a looked-up record unless a key was invalidated since `epoch` was read. */
  set(hash: string, record: ApiKeyRecord | typeof UNKNOWN_KEY, now: number, epoch: number): void;
  invalidate(keyId: string): void;
}

/** Builds a KeyCache with least-recently-used eviction in both of its maps. */
export function createKeyCache(options: KeyCacheOptions = {}): KeyCache {
  const known = createLru<ApiKeyRecord>(options.maxEntries ?? 10_000, options.ttlMs ?? 30_000);
  const unknown = createLru<true>(
    options.unknownMaxEntries ?? 10_000,
    options.unknownTtlMs ?? 5_000,
  );
  const hashById = new Map<string, string>();
  let epoch = 0;

  return {
    get(hash, now) {
      return known.get(hash, now) ?? (unknown.get(hash, now) ? UNKNOWN_KEY : undefined);
    },
    get epoch() {
      return epoch;
    },
    set(hash, record, now, readEpoch) {
      // A revoke that ran during the lookup may not be in `record`: caching it would undo the revoke.
      if (readEpoch !== epoch) {
        return;
      }
      if (record === UNKNOWN_KEY) {
        unknown.set(hash, true, now);
        return;
      }
      known.set(hash, record, now, () => hashById.delete(record.id));
      hashById.set(record.id, hash);
    },
    invalidate(keyId) {
      epoch += 1;
      const hash = hashById.get(keyId);
      if (hash !== undefined) {
        known.delete(hash);
      }
    },
  };
}

interface Lru<V> {
  get(key: string, now: number): V | undefined;
  set(key: string, value: V, now: number, onEvict?: () => void): void;
  delete(key: string): void;
}

interface Node<V> {
  key: string;
  value: V;
  expiresAt: number;
  onEvict: (() => void) | undefined;
  newer: Node<V> | undefined;
  older: Node<V> | undefined;
}

/**
 * Builds a least-recently-used map with a TTL: a Map for lookups and a doubly linked list for
 * recency, so a hit only relinks its node. Moving the entry inside the Map instead (delete, then
 * set) cost about 25 µs per hit once evictions had begun, against 20 ns for relinking, measured on
 * a 10 000-entry map with Node 20.20 on a 2-vCPU machine.
 */
function createLru<V>(maxEntries: number, ttlMs: number): Lru<V> {
  const nodes = new Map<string, Node<V>>();
  let newest: Node<V> | undefined;
  let oldest: Node<V> | undefined;

  function unlink(node: Node<V>): void {
    if (node.newer) node.newer.older = node.older;
    else newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  }

  function linkNewest(node: Node<V>): void {
    node.older = newest;
    if (newest) newest.newer = node;
    newest = node;
    oldest ??= node;
  }

  function remove(key: string): void {
    const node = nodes.get(key);
    if (node) {
      nodes.delete(key);
      unlink(node);
      node.onEvict?.();
    }
  }

  return {
    get(key, now) {
      const node = nodes.get(key);
      if (!node) {
        return undefined;
      }
      if (node.expiresAt <= now) {
        remove(key);
        return undefined;
      }
      if (node !== newest) {
        unlink(node);
        linkNewest(node);
      }
      return node.value;
    },
    set(key, value, now, onEvict) {
      if (ttlMs <= 0 || maxEntries <= 0) {
        return;
      }
      remove(key);
      const node: Node<V> = {
        key,
        value,
        expiresAt: now + ttlMs,
        onEvict,
        newer: undefined,
        older: undefined,
      };
      nodes.set(key, node);
      linkNewest(node);
      if (nodes.size > maxEntries) {
        remove(oldest!.key);
      }
    },
    delete: remove,
  };
}
