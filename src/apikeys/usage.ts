import type { ApiKeyLogger } from './logger.js';
import type { NewApiKeyEvent } from './model.js';
import type { ApiKeyStore } from './store.js';

/** Options of `createUsageRecorder`. Times in milliseconds. */
export interface UsageRecorderOptions {
  store: ApiKeyStore;
  logger: ApiKeyLogger;
  /** Period of the background flush (0 = only explicit `flush()` calls). */
  flushIntervalMs: number;
  /** At most one `verification_failed` event per key and code in this period. */
  failureSampleMs: number;
  now: () => number;
}

/**
 * Buffers last-used times and failure events so verification never waits for a write. Failure
 * events are sampled: the first failure of a key with a given code writes a row, and repeats
 * within `failureSampleMs` are only counted in the debug log, so a client hammering a revoked or
 * rate-limited key adds one row per minute, not one per request.
 */
export interface UsageRecorder {
  recordUse(keyId: string, at: number): void;
  /** Returns whether this failure produces an event row. */
  recordFailure(keyId: string, code: string, at: number): boolean;
  /** Writes what is buffered. Concurrent calls run one after another. */
  flush(): Promise<void>;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

// Bounds memory while the database is down: later failure events are dropped, with a log line.
const MAX_BUFFERED_EVENTS = 10_000;

/** Builds a UsageRecorder with an unref'd timer, so it never keeps a process alive. */
export function createUsageRecorder(options: UsageRecorderOptions): UsageRecorder {
  const { store, logger, failureSampleMs } = options;
  let lastUsed = new Map<string, number>();
  let events: NewApiKeyEvent[] = [];
  const sampled = new Map<string, { at: number; repeats: number }>();
  let chain: Promise<void> = Promise.resolve();

  function recordFailure(keyId: string, code: string, at: number): boolean {
    const id = `${keyId} ${code}`;
    const last = sampled.get(id);
    if (last && at - last.at < failureSampleMs) {
      last.repeats += 1;
      return false;
    }
    sampled.set(id, { at, repeats: 0 });
    if (events.length < MAX_BUFFERED_EVENTS) {
      events.push({ keyId, type: 'verification_failed', reason: code, actor: null, createdAt: at });
    }
    return true;
  }

  async function write(): Promise<void> {
    const uses = [...lastUsed].map(([id, lastUsedAt]) => ({ id, lastUsedAt }));
    const pending = events;
    lastUsed = new Map();
    events = [];
    try {
      await store.touchLastUsed(uses);
      await store.insertEvents(pending);
    } catch (error) {
      logger.error(
        { err: error, keys: uses.length, events: pending.length },
        'api key usage flush failed',
      );
      requeue(uses, pending);
    }
  }

  function requeue(uses: { id: string; lastUsedAt: number }[], pending: NewApiKeyEvent[]): void {
    for (const { id, lastUsedAt } of uses) {
      lastUsed.set(id, Math.max(lastUsed.get(id) ?? 0, lastUsedAt));
    }
    const room = MAX_BUFFERED_EVENTS - events.length;
    if (pending.length > room) {
      logger.warn({ dropped: pending.length - room }, 'api key failure events dropped');
    }
    events = [...pending.slice(0, Math.max(room, 0)), ...events];
  }

  function pruneSamples(now: number): void {
    for (const [id, sample] of sampled) {
      if (now - sample.at >= failureSampleMs) {
        if (sample.repeats > 0) {
          const [keyId, code] = id.split(' ');
          logger.debug({ keyId, code, repeats: sample.repeats }, 'api key failures sampled');
        }
        sampled.delete(id);
      }
    }
  }

  function flush(): Promise<void> {
    pruneSamples(options.now());
    chain = chain.then(write);
    return chain;
  }

  const timer =
    options.flushIntervalMs > 0
      ? setInterval(() => void flush(), options.flushIntervalMs)
      : undefined;
  timer?.unref();

  return {
    recordUse(keyId, at) {
      if ((lastUsed.get(keyId) ?? 0) < at) lastUsed.set(keyId, at);
    },
    recordFailure,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
