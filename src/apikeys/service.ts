import type { MaybePromise } from '../maybe-promise.js';
import { type Actor, loadOwnedKey } from './access.js';
import { createKeyCache } from './cache.js';
import { type CreateApiKeyInput, createIssuer, type IssuedApiKey } from './issue.js';
import { createManager, type UpdateApiKeyInput } from './manage.js';
import { type ApiKeyServiceOptions, resolveOptions } from './options.js';
import { createKeyHasher } from './peppers.js';
import { createUsageRecorder } from './usage.js';
import { invalidField } from './validate.js';
import { createVerifier } from './verify.js';
import type { KeyAdmission, VerifyCode, VerifyOptions, VerifyResult } from './verify-result.js';
import { type ApiKeyEventView, type ApiKeyView, toApiKeyView, toEventView } from './view.js';

/** Receives the outcome of one verification. */
export type VerifyListener = (code: VerifyCode, keyId: string | null) => void;

/** API key lifecycle and verification, built by `createApiKeyService`. */
export interface ApiKeyService {
  create(actor: Actor, input: CreateApiKeyInput): Promise<IssuedApiKey>;
  /** Keys of a user, or every key for an operator, newest first. */
  list(actor: Actor): Promise<ApiKeyView[]>;
  /** Raises `not_found` for a missing key and for another user's key. */
  get(actor: Actor, keyId: string): Promise<ApiKeyView>;
  rotate(actor: Actor, keyId: string, options?: { gracePeriodMs?: number }): Promise<IssuedApiKey>;
  revoke(actor: Actor, keyId: string): Promise<ApiKeyView>;
  disable(actor: Actor, keyId: string): Promise<ApiKeyView>;
  enable(actor: Actor, keyId: string): Promise<ApiKeyView>;
  update(actor: Actor, keyId: string, input: UpdateApiKeyInput): Promise<ApiKeyView>;
  /** Audit events, newest first: at most `limit` (default 50, maximum 200), ids below `before`. */
  events(
    actor: Actor,
    keyId: string,
    page?: { limit?: number; before?: number },
  ): Promise<ApiKeyEventView[]>;
  /**
   * Verifies a key and spends its rate limit and credits. Returns the result itself when no I/O
   * was needed, else a promise of it; `await` handles both. Raises only through a rejection.
   */
  verifyKey(plaintextKey: string, options?: VerifyOptions): MaybePromise<VerifyResult>;
  /**
   * Runs the checks of `verifyKey` at a cost of 1 and returns only what authenticating a request
   * needs, without the formatted times and the copy of the scopes.
   */
  admitKey(plaintextKey: string): MaybePromise<KeyAdmission>;
  /**
   * Registers a listener for the code and key id (null for an unknown key) of every verification
   * and admission that ran its checks, and returns a function that removes it. Listeners run
   * before the result is returned, so they must be quick and must not throw.
   */
  onVerify(listener: VerifyListener): () => void;
  /** Drops a key from this instance's cache only, for invalidations from other instances. */
  invalidate(keyId: string): void;
  /** Registers a listener for every local invalidation and returns a function that removes it. */
  onInvalidate(listener: (keyId: string) => void): () => void;
  /** Writes buffered last-used times and failure events now. */
  flush(): Promise<void>;
  /** Stops the background flush and flushes. */
  close(): Promise<void>;
}

/**
 * Builds the API key service. Validates the options once (see `resolveOptions` for the errors),
 * then runs without further option checks.
 */
export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const settings = resolveOptions(options);
  const { store, invalidationBus } = options;
  const { now, logger } = settings;
  const hasher = createKeyHasher(options.peppers);
  const cache = createKeyCache(settings.cache);
  const listeners = new Set<(keyId: string) => void>();

  function invalidateEverywhere(keyId: string): void {
    cache.invalidate(keyId);
    for (const listener of listeners) listener(keyId);
    invalidationBus?.publish(keyId);
  }
  invalidationBus?.subscribe((keyId) => cache.invalidate(keyId));

  const shared = { store, logger, now, invalidate: invalidateEverywhere };
  const issuer = createIssuer({ ...shared, ...settings, hasher, environment: options.environment });
  const manager = createManager({ ...shared, defaultRateLimit: settings.defaultRateLimit });
  const usage = createUsageRecorder({ ...settings, store });
  // An array rather than a Set: it is walked on every verification and changed almost never.
  let verifyListeners: VerifyListener[] = [];
  const verifier = createVerifier({
    ...settings,
    store,
    hasher,
    cache,
    usage,
    limiter: options.limiter,
    environment: options.environment,
    observe(code, keyId) {
      for (const listener of verifyListeners) listener(code, keyId);
    },
  });

  return {
    ...issuer,
    ...manager,
    ...verifier,
    async list(actor) {
      const records = await store.listKeys(actor.type === 'user' ? actor.userId : undefined);
      const time = now();
      return records.map((record) => toApiKeyView(record, time));
    },
    async get(actor, keyId) {
      return toApiKeyView(await loadOwnedKey(store, actor, keyId), now());
    },
    async events(actor, keyId, page = {}) {
      const limit = page.limit ?? 50;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
        throw invalidField('/limit', 'limit must be a whole number from 1 to 200');
      }
      await loadOwnedKey(store, actor, keyId);
      const events = await store.listEvents(keyId, limit, page.before);
      return events.map(toEventView);
    },
    invalidate: (keyId) => cache.invalidate(keyId),
    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onVerify(listener) {
      verifyListeners = [...verifyListeners, listener];
      return () => {
        verifyListeners = verifyListeners.filter((entry) => entry !== listener);
      };
    },
    flush: () => usage.flush(),
    close: () => usage.close(),
  };
}
