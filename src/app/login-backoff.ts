import type { BackoffRule } from '../users/login-guard.js';

const second = 1000;
const minute = 60 * second;

/**
 * Login back-off. An account gets 5 free failures, then locks for 1 s, 2 s, 4 s … up to 15 min.
 * A client address gets 20, because one address may be a whole office behind NAT.
 */
export const loginBackoff: { perAccount: BackoffRule; perClient: BackoffRule } = {
  perAccount: {
    freeFailures: 5,
    baseLockMs: second,
    maxLockMs: 15 * minute,
    forgetAfterMs: 60 * minute,
  },
  perClient: {
    freeFailures: 20,
    baseLockMs: second,
    maxLockMs: 15 * minute,
    forgetAfterMs: 60 * minute,
  },
};
