import {
  type AttemptOutcome,
  type BackoffRule,
  type LoginAttemptStore,
  lockDurationMs,
} from './login-guard.js';

interface Entry {
  failures: number;
  lockedUntil: number;
  lastAttemptAt: number;
}

/**
 * Failure counts in this process's memory. Enough for one instance; several instances need a
 * shared store, or each would allow its own share of attempts. Holds at most `maxKeys` entries,
 * dropping the oldest, so a flood of random emails cannot exhaust memory.
 */
export function createMemoryLoginStore(maxKeys = 100_000): LoginAttemptStore {
  const entries = new Map<string, Entry>();

  return {
    register(key: string, rule: BackoffRule, now: number): AttemptOutcome {
      let entry = entries.get(key);
      if (!entry || now - entry.lastAttemptAt > rule.forgetAfterMs) {
        entry = { failures: 0, lockedUntil: 0, lastAttemptAt: now };
      }
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > maxKeys) {
        entries.delete(entries.keys().next().value as string);
      }
      entry.lastAttemptAt = now;

      if (entry.lockedUntil > now) {
        return { allowed: false, retryAfterMs: entry.lockedUntil - now };
      }
      entry.failures += 1;
      if (entry.failures > rule.freeFailures) {
        entry.lockedUntil = now + lockDurationMs(rule, entry.failures - rule.freeFailures);
      }
      return { allowed: true };
    },

    reset(key: string): void {
      entries.delete(key);
    },

    forgiveOne(key: string): void {
      const entry = entries.get(key);
      if (entry && entry.lockedUntil === 0) {
        entry.failures = Math.max(0, entry.failures - 1);
      }
    },
  };
}
