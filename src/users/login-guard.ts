import { KeywardError } from '../errors/index.js';

/** Throttling rule for failed logins on one key: an account or a client address. */
export interface BackoffRule {
  /** Failures allowed before the back-off starts. */
  freeFailures: number;
  /** Lock after the first failure past `freeFailures`, in ms; it doubles with each further one. */
  baseLockMs: number;
  /** Maximum lock, in ms. Because no lock lasts longer, an account always unlocks by itself. */
  maxLockMs: number;
  /** Failures are forgotten after this long without an attempt, in ms. */
  forgetAfterMs: number;
}

/** Outcome of registering one attempt: allowed to check the password, or locked for a while. */
export type AttemptOutcome = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Storage of failure counts. `register` must be atomic per key: it counts the attempt as a
 * failure before the password is checked, so a flood of parallel attempts cannot run more
 * checks than the rule allows. After a successful login, `reset` clears a key and `forgiveOne`
 * takes back the one attempt counted for it.
 */
export interface LoginAttemptStore {
  register(key: string, rule: BackoffRule, now: number): Promise<AttemptOutcome> | AttemptOutcome;
  reset(key: string): Promise<void> | void;
  forgiveOne(key: string): Promise<void> | void;
}

export interface LoginGuardOptions {
  store: LoginAttemptStore;
  perAccount: BackoffRule;
  perClient: BackoffRule;
  now?: () => number;
}

export interface LoginGuard {
  /** Runs `check` unless the account or the client is locked. Raises `login_throttled`. */
  guard<T>(email: string, clientAddress: string, check: () => Promise<T>): Promise<T>;
}

/** Builds the login guard: growing back-off per account and per client address. */
export function createLoginGuard(options: LoginGuardOptions): LoginGuard {
  const { store, perAccount, perClient } = options;
  const now = options.now ?? Date.now;

  return {
    async guard(email, clientAddress, check) {
      const accountKey = `account:${email.trim().toLowerCase()}`;
      const clientKey = `client:${clientAddress}`;
      const time = now();
      const outcomes = await Promise.all([
        store.register(clientKey, perClient, time),
        store.register(accountKey, perAccount, time),
      ]);
      const locked = outcomes.filter((o) => !o.allowed);
      if (locked.length > 0) {
        const retryAfterMs = Math.max(...locked.map((o) => (o.allowed ? 0 : o.retryAfterMs)));
        throw new KeywardError('login_throttled', 'login throttled', {
          retryAfterMs,
          detail: 'Too many failed logins. Wait before trying again.',
        });
      }

      const result = await check();
      // A success clears the account's failures, but the client's count only loses this attempt.
      // Otherwise an attacker could clear its address's count by logging in to its own account.
      await Promise.all([store.reset(accountKey), store.forgiveOne(clientKey)]);
      return result;
    },
  };
}

/** Lock length after `excess` failures past the free ones: doubling from the base, capped. */
export function lockDurationMs(rule: BackoffRule, excess: number): number {
  return Math.min(rule.maxLockMs, rule.baseLockMs * 2 ** Math.min(excess - 1, 30));
}
