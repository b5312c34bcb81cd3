import { applyGcra, mustStoreTat, refundGcra } from './gcra.js';
import type { RateLimitPolicy, RateLimitStore, StoreDecision } from './types.js';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Maximum keys held at once (default 100 000). Past it, the oldest keys lose their state. */
  maxKeys?: number;
  /** Period in ms of the sweep that drops keys whose bucket is full again (default 60 000, 0 = none). */
  sweepIntervalMs?: number;
}

/** A rate limit store in process memory. It is synchronous, so a decision costs no I/O or promise. */
export interface MemoryRateLimitStore extends RateLimitStore {
  consume(key: string, policy: RateLimitPolicy, cost: number, now: number): StoreDecision;
  refund(key: string, policy: RateLimitPolicy, cost: number, now: number): void;
  /** Keys currently held. */
  readonly size: number;
  /** Drops keys whose bucket is full at `nowMs` (default the latest `now` seen) and returns their count. */
  sweep(nowMs?: number): number;
  /** Stops the periodic sweep. */
  close(): void;
}

/** Share of `maxKeys` freed when the store is full, so the O(n) clean-up runs rarely. */
const EVICTION_SHARE = 0.1;

/**
 * Creates a store that keeps one TAT per key in a Map, for a single instance. Memory stays within
 * `maxKeys` entries: keys whose bucket is full carry no state and are dropped by the sweep, and when
 * the Map is full the oldest inserted keys are evicted, which gives those keys a full bucket again.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryRateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError(`maxKeys must be a positive integer, got ${maxKeys}`);
  }
  const tats = new Map<string, number>();
  let latestNowMs = Number.NEGATIVE_INFINITY;

  function sweep(nowMs = latestNowMs): number {
    const nowUs = nowMs * 1000;
    const before = tats.size;
    for (const [key, tatUs] of tats) {
      if (tatUs <= nowUs) tats.delete(key);
    }
    return before - tats.size;
  }

  function makeRoom(): void {
    sweep();
    const target = Math.floor(maxKeys * (1 - EVICTION_SHARE));
    // Map iterates in insertion order, so the first keys are the oldest.
    for (const key of tats.keys()) {
      if (tats.size <= target) break;
      tats.delete(key);
    }
  }

  function consume(key: string, policy: RateLimitPolicy, cost: number, now: number) {
    if (now > latestNowMs) latestNowMs = now;
    const storedTatUs = tats.get(key);
    const decision = applyGcra(storedTatUs, now, policy, cost);
    if (!mustStoreTat(storedTatUs, decision, cost)) return decision;

    if (storedTatUs === undefined && tats.size >= maxKeys) makeRoom();
    tats.set(key, decision.tatUs);
    return decision;
  }

  function refund(key: string, policy: RateLimitPolicy, cost: number, now: number): void {
    const storedTatUs = tats.get(key);
    if (storedTatUs === undefined) return;
    const tatUs = refundGcra(storedTatUs, now, policy, cost);
    if (tatUs === undefined) tats.delete(key);
    else tats.set(key, tatUs);
  }

  const timer = sweepIntervalMs > 0 ? setInterval(() => sweep(), sweepIntervalMs) : undefined;
  // The sweep only frees memory, so it must not keep the process alive.
  timer?.unref();

  return {
    consume,
    refund,
    sweep,
    close: () => clearInterval(timer),
    get size() {
      return tats.size;
    },
  };
}
