import type { AttemptOutcome, BackoffRule, LoginAttemptStore } from '../users/login-guard.js';
import type { OutageLog } from './outage-log.js';

/**
 * Login failure counts in a shared store, with a store in this process's memory while the
 * shared one fails. During a Redis outage logins keep working and stay throttled, but each
 * instance counts on its own, so an attacker who spreads guesses over n instances gets up to
 * n times the free failures until Redis is back.
 */
export function createFallbackLoginStore(options: {
  primary: LoginAttemptStore;
  fallback: LoginAttemptStore;
  /** Logs the first failure of the shared store and its recovery. */
  outage: OutageLog;
}): LoginAttemptStore {
  const { primary, fallback, outage } = options;

  async function attempt<T>(operation: () => Promise<T> | T): Promise<T | undefined> {
    try {
      const result = await operation();
      outage.recovered('login attempt store');
      return result;
    } catch (error) {
      outage.failed('login attempt store', error);
      return undefined;
    }
  }

  return {
    async register(key: string, rule: BackoffRule, now: number): Promise<AttemptOutcome> {
      const outcome = await attempt(() => primary.register(key, rule, now));
      return outcome ?? fallback.register(key, rule, now);
    },
    // Both stores hear about a success, since either may hold the key's failures.
    async reset(key: string): Promise<void> {
      await fallback.reset(key);
      await attempt(() => primary.reset(key));
    },
    async forgiveOne(key: string): Promise<void> {
      await fallback.forgiveOne(key);
      await attempt(() => primary.forgiveOne(key));
    },
  };
}
