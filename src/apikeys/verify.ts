import { timingSafeEqual } from 'node:crypto';
import { andThen, type MaybePromise } from '../maybe-promise.js';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '../ratelimit/index.js';
import { type KeyCache, keyCacheKey, UNKNOWN_KEY } from './cache.js';
import { spendCredits } from './credits.js';
import { MAX_API_KEY_LENGTH, parseApiKey } from './format.js';
import type { ApiKeyLogger } from './logger.js';
import type { ApiKeyRecord } from './model.js';
import type { KeyHasher, VersionedHash } from './peppers.js';
import type { ApiKeyStore } from './store.js';
import type { UsageRecorder } from './usage.js';
import { invalidField } from './validate.js';
import {
  admission,
  describe,
  type KeyAdmission,
  type VerifyCode,
  type VerifyOptions,
  type VerifyResult,
} from './verify-result.js';

export interface VerifierDeps {
  store: ApiKeyStore;
  hasher: KeyHasher;
  cache: KeyCache;
  limiter: RateLimiter;
  usage: UsageRecorder;
  logger: ApiKeyLogger;
  environment: string;
  defaultRateLimit: RateLimitPolicy | undefined;
  userRateLimit: RateLimitPolicy | undefined;
  now: () => number;
  /** Called with the outcome of every verification that ran its checks. */
  observe: (code: VerifyCode, keyId: string | null) => void;
}

/**
 * Builds the result of one verification from its outcome: the record (undefined for an unknown
 * or malformed key), the code, the rate-limit decision, the credits left, and whether the
 * decision is the owner's limit rather than the key's.
 */
type Finish<R> = (
  record: ApiKeyRecord | undefined,
  code: VerifyCode,
  decision: RateLimitDecision | null,
  credits: VerifyResult['credits'],
  byOwner: boolean,
) => R;

export interface Verifier {
  /** The full result, for `POST /v1/keys/verify` and the CLI. See `ApiKeyService.verifyKey`. */
  verifyKey(plaintextKey: string, options?: VerifyOptions): MaybePromise<VerifyResult>;
  /** The same checks with a brief result, for authenticating a request. */
  admitKey(plaintextKey: string): MaybePromise<KeyAdmission>;
}

/**
 * Builds the verifier. Checks run in this order: first the cache. On a miss come format and
 * checksum (no I/O), then the store. Then come revoked, expired, disabled, scopes, rate limits and
 * credits. Only credits and cache misses reach the database. Last-used times and failure events
 * are written later in batches.
 *
 * The cache comes before the checksum because a hit means that the very same string passed the
 * checksum and was found in the store before. A key that fails the checksum costs one SHA-256
 * digest and one cache miss, and never reaches the store.
 */
export function createVerifier(deps: VerifierDeps): Verifier {
  const { store, hasher, cache, usage, logger, observe } = deps;
  // `done` recognises the owner's decision by its policy object, so that object must differ from
  // every key's policy, even when both limits were given as the same object.
  const ownerPolicy =
    deps.userRateLimit && deps.userRateLimit === deps.defaultRateLimit
      ? { ...deps.userRateLimit }
      : deps.userRateLimit;
  const limits = { limiter: deps.limiter, defaultRateLimit: deps.defaultRateLimit, ownerPolicy };

  /** Looks a key up in the store under every pepper, and caches the outcome under `cacheKey`. */
  async function load(
    plaintextKey: string,
    cacheKey: string,
    now: number,
  ): Promise<ApiKeyRecord | undefined> {
    const epoch = cache.epoch;
    // The current pepper's hash comes first.
    const candidates = hasher.hashAll(plaintextKey);
    const found = await store.findKeyByHashes(candidates.map((candidate) => candidate.hash));
    const record = found && matchesCandidate(found, candidates) ? found : undefined;
    if (record && record.hashVersion !== hasher.currentVersion) {
      await upgradeHash(record, candidates[0]!.hash);
    }
    // `admitKey` hands this list to every request of the key, so none may change it.
    if (record) Object.freeze(record.scopes);
    cache.set(cacheKey, record ?? UNKNOWN_KEY, now, epoch);
    return record;
  }

  /** Re-hashes a key found under an older pepper, so the pepper can be retired later. */
  async function upgradeHash(record: ApiKeyRecord, hash: string): Promise<void> {
    try {
      await store.rehashKey(record.id, record.hash, hash, hasher.currentVersion);
      record.hash = hash;
      record.hashVersion = hasher.currentVersion;
      logger.info({ keyId: record.id, event: 'api_key.rehashed' }, 'api key hash upgraded');
    } catch (error) {
      logger.error({ err: error, keyId: record.id }, 'api key hash upgrade failed');
    }
  }

  /**
   * Verifies a key and builds its result with `finish`. The result comes back as a value when
   * nothing needed I/O (a cached key, an in-memory limiter, no credits), and as a promise
   * otherwise. Errors, such as an invalid `cost`, are always raised through a rejected promise.
   */
  function verify<R>(
    plaintextKey: string,
    options: VerifyOptions,
    finish: Finish<R>,
  ): MaybePromise<R> {
    try {
      const now = options.now ?? deps.now();
      const cost = options.cost ?? 1;
      if (!Number.isSafeInteger(cost) || cost < 0) {
        throw invalidField('/cost', 'cost must be a whole number of 0 or more');
      }
      // The length check keeps long junk from being hashed.
      if (plaintextKey.length > MAX_API_KEY_LENGTH) {
        return done(finish, undefined, 'NOT_FOUND');
      }
      const cacheKey = keyCacheKey(plaintextKey);
      const cached = cache.get(cacheKey, now);
      if (cached !== undefined) {
        return check(cached, now, cost, options, finish);
      }
      const parsed = parseApiKey(plaintextKey);
      if (!parsed || parsed.environment !== deps.environment) {
        return done(finish, undefined, 'NOT_FOUND');
      }
      return load(plaintextKey, cacheKey, now).then((record) =>
        check(record, now, cost, options, finish),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reports the outcome to `observe` and builds the result. */
  function done<R>(
    finish: Finish<R>,
    record: ApiKeyRecord | undefined,
    code: VerifyCode,
    decision: RateLimitDecision | null = null,
    credits: VerifyResult['credits'] = null,
  ): R {
    observe(code, record === undefined ? null : record.id);
    const byOwner = decision !== null && decision.policy === ownerPolicy;
    return finish(record, code, decision, credits, byOwner);
  }

  /** Checks a looked-up record's state, then its rate limits and credits. */
  function check<R>(
    record: ApiKeyRecord | typeof UNKNOWN_KEY | undefined,
    now: number,
    cost: number,
    options: VerifyOptions,
    finish: Finish<R>,
  ): MaybePromise<R> {
    if (record === undefined || record === UNKNOWN_KEY) {
      return done(finish, undefined, 'NOT_FOUND');
    }
    const stateFailure = checkState(record, now, options.requiredScopes);
    if (stateFailure) {
      return reject(finish, record, stateFailure, now);
    }
    return andThen(applyRateLimits(limits, record), (decision) => {
      if (decision && !decision.allowed) {
        return reject(finish, record, 'RATE_LIMITED', now, decision);
      }
      if (record.credits) {
        return spendCredits(store, record, cost, now).then((spend) => {
          const credits = { remaining: spend.remaining };
          if (!spend.spent) {
            return reject(finish, record, 'USAGE_EXCEEDED', now, decision, credits);
          }
          return accept(finish, record, now, decision, credits);
        });
      }
      return accept(finish, record, now, decision, null);
    });
  }

  function accept<R>(
    finish: Finish<R>,
    record: ApiKeyRecord,
    now: number,
    decision: RateLimitDecision | null,
    credits: VerifyResult['credits'],
  ): R {
    usage.recordUse(record.id, now);
    return done(finish, record, 'VALID', decision, credits);
  }

  function reject<R>(
    finish: Finish<R>,
    record: ApiKeyRecord,
    code: VerifyCode,
    now: number,
    decision: RateLimitDecision | null = null,
    credits: VerifyResult['credits'] = null,
  ): R {
    if (usage.recordFailure(record.id, code, now)) {
      logger.info({ keyId: record.id, code, event: 'api_key.rejected' }, 'api key rejected');
    }
    return done(finish, record, code, decision, credits);
  }

  return {
    verifyKey: (plaintextKey, options = {}) => verify(plaintextKey, options, describe),
    admitKey: (plaintextKey) => verify(plaintextKey, noOptions, admission),
  };
}

const noOptions: VerifyOptions = Object.freeze({});

/** Defence in depth: the store matched by hash, and this confirms it in constant time. */
function matchesCandidate(record: ApiKeyRecord, candidates: VersionedHash[]): boolean {
  const candidate = candidates.find((entry) => entry.version === record.hashVersion);
  if (!candidate || candidate.hash.length !== record.hash.length) {
    return false;
  }
  return timingSafeEqual(Buffer.from(candidate.hash), Buffer.from(record.hash));
}

function checkState(
  record: ApiKeyRecord,
  now: number,
  requiredScopes: readonly string[] | undefined,
): VerifyCode | undefined {
  if (record.revokedAt !== null) return 'REVOKED';
  if (record.expiresAt !== null && record.expiresAt <= now) return 'EXPIRED';
  if (record.disabledAt !== null) return 'DISABLED';
  if (requiredScopes?.some((scope) => !record.scopes.includes(scope))) return 'INSUFFICIENT_SCOPE';
  return undefined;
}

/** The limiter and the policies that `applyRateLimits` applies. */
interface Limits {
  limiter: RateLimiter;
  defaultRateLimit: RateLimitPolicy | undefined;
  /** The owner's limit across all their keys; undefined when there is none. */
  ownerPolicy: RateLimitPolicy | undefined;
}

/**
 * Spends one request from the key's limit (its own or the default) and, for a user's key, from
 * the owner's limit across all their keys. Returns the rejecting decision, or else the one with
 * fewer requests remaining, or null when no limit applies. A request that the owner's limit
 * refuses gets its request back on the key's own limit, so a client that retries while the owner
 * is over the limit does not also use up its key. A degraded decision of the key's limit spent
 * nothing, so it gets nothing back.
 */
function applyRateLimits(
  limits: Limits,
  record: ApiKeyRecord,
): MaybePromise<RateLimitDecision | null> {
  const policy = record.ratelimit ?? limits.defaultRateLimit;
  if (!policy) {
    return applyOwnerLimit(limits, record, null);
  }
  const key = `apikey:${record.id}`;
  return andThen(limits.limiter.limit(key, policy), (perKey) => {
    if (!perKey.allowed || !limits.ownerPolicy || record.userId === null) return perKey;
    return andThen(applyOwnerLimit(limits, record, perKey), (decision) => {
      // The decision does not wait for the refund. It rejects only for a policy or cost that
      // `limit` has just accepted, and a store failure is logged inside the limiter.
      if (decision !== perKey && !decision?.allowed && !perKey.degraded) {
        void limits.limiter.refund(key, policy);
      }
      return decision;
    });
  });
}

function applyOwnerLimit(
  limits: Limits,
  record: ApiKeyRecord,
  perKey: RateLimitDecision | null,
): MaybePromise<RateLimitDecision | null> {
  if (!limits.ownerPolicy || record.userId === null) {
    return perKey;
  }
  return andThen(
    limits.limiter.limit(`apikey-user:${record.userId}`, limits.ownerPolicy),
    (perUser): RateLimitDecision =>
      !perKey || !perUser.allowed || perUser.remaining < perKey.remaining ? perUser : perKey,
  );
}
