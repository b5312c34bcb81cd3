import { KeywardError } from '../errors/index.js';
import { newId } from '../ids.js';
import type { RateLimitPolicy } from '../ratelimit/index.js';
import { type Actor, actorName, loadOwnedKey } from './access.js';
import { generateApiKey } from './format.js';
import type { ApiKeyLogger } from './logger.js';
import type { ApiKeyRecord } from './model.js';
import type { KeyHasher } from './peppers.js';
import type { ApiKeyStore } from './store.js';
import {
  type CreditInput,
  checkWithinCeiling,
  invalidField,
  validateCredits,
  validateExpiresAt,
  validateMetadata,
  validateName,
  validateRateLimit,
  validateScopes,
} from './validate.js';
import { type ApiKeyView, statusOf, toApiKeyView } from './view.js';

/** Settings of a new key. Times are epoch ms. */
export interface CreateApiKeyInput {
  name: string;
  scopes?: string[];
  expiresAt?: number | null;
  /** A JSON object of at most 4 KB. */
  metadata?: Record<string, unknown>;
  /** The key's own limit. Without one, the service default applies. */
  ratelimit?: RateLimitPolicy | null;
  /** Usage credits. Without them, the key has unlimited use. */
  credits?: CreditInput | null;
  /** Scopes of the owner when a user creates a key. A user's key gets no scope beyond these. */
  ownerScopes?: readonly string[];
}

/** A new key: its view, and the plaintext, which the service returns here and never again. */
export interface IssuedApiKey {
  key: ApiKeyView;
  plaintextKey: string;
}

export interface IssueDeps {
  store: ApiKeyStore;
  hasher: KeyHasher;
  logger: ApiKeyLogger;
  environment: string;
  now: () => number;
  defaultGracePeriodMs: number;
  maxGracePeriodMs: number;
  /** The service's default limit, which a user's key may not exceed. */
  defaultRateLimit: RateLimitPolicy | undefined;
  /** Most live keys one user may hold. */
  maxKeysPerUser: number;
  /** Drops a key from every instance's cache. */
  invalidate(keyId: string): void;
}

/** Builds `create` and `rotate`, the two operations that issue a plaintext key. */
export function createIssuer(deps: IssueDeps) {
  const { store, hasher, logger } = deps;

  /** Makes an id, a plaintext and its hash. The caller fills in the settings. */
  function newSecretFields(now: number) {
    const generated = generateApiKey(deps.environment);
    const fields = {
      id: newId('key'),
      prefix: generated.prefix,
      start: generated.start,
      hash: hasher.hash(generated.plaintextKey),
      hashVersion: hasher.currentVersion,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
      revokedAt: null,
    };
    return { fields, plaintextKey: generated.plaintextKey };
  }

  // Each key brings its own rate limit, so an unbounded number of keys would multiply a user's
  // share of the service. Two concurrent creations may both pass at the limit: the cap bounds
  // growth, it is not an exact quota.
  async function checkKeyCount(userId: string, now: number): Promise<void> {
    const keys = await store.listKeys(userId);
    const live = keys.filter(
      (k) => k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now),
    );
    if (live.length >= deps.maxKeysPerUser) {
      throw new KeywardError('validation_failed', 'too many API keys', {
        detail: `A user may hold at most ${deps.maxKeysPerUser} live API keys. Revoke unused keys first.`,
      });
    }
  }

  /**
   * Creates a key. A user's key belongs to that user and may have only scopes in `ownerScopes`.
   * An operator's key is a service key with no owner and any scopes.
   * Raises `validation_failed` or `insufficient_scope`.
   */
  async function create(actor: Actor, input: CreateApiKeyInput): Promise<IssuedApiKey> {
    const now = deps.now();
    const ownerScopes = actor.type === 'user' ? (input.ownerScopes ?? []) : undefined;
    const credits = input.credits ? validateCredits(input.credits) : null;
    const { fields, plaintextKey } = newSecretFields(now);
    const record: ApiKeyRecord = {
      ...fields,
      userId: actor.type === 'user' ? actor.userId : null,
      name: validateName(input.name),
      scopes: validateScopes(input.scopes ?? [], ownerScopes),
      metadata: validateMetadata(input.metadata ?? {}),
      expiresAt: validateExpiresAt(input.expiresAt, now),
      disabledAt: null,
      rotatedFrom: null,
      credits: credits && { ...credits, refilledAt: credits.refill ? now : null },
      ratelimit: validateRateLimit(input.ratelimit),
    };
    if (actor.type === 'user') {
      checkWithinCeiling(record.ratelimit, deps.defaultRateLimit);
      await checkKeyCount(actor.userId, now);
    }

    const event = {
      keyId: record.id,
      type: 'created',
      reason: null,
      actor: actorName(actor),
      createdAt: now,
    } as const;
    await store.insertKey(record, [event]);
    (actor.log ?? logger).info(
      { event: 'api_key.created', keyId: record.id, userId: record.userId },
      'api key created',
    );
    return { key: toApiKeyView(record, now), plaintextKey };
  }

  /**
   * Issues a successor with the same settings and lets the old key lapse after the grace period
   * (default and maximum set on the service). Credits move to the successor. Raises `not_found`,
   * or `validation_failed` for a revoked, expired or already rotated key.
   */
  async function rotate(
    actor: Actor,
    keyId: string,
    options: { gracePeriodMs?: number } = {},
  ): Promise<IssuedApiKey> {
    const gracePeriodMs = checkGracePeriod(options.gracePeriodMs ?? deps.defaultGracePeriodMs);
    const old = await loadOwnedKey(store, actor, keyId);
    const now = deps.now();
    const status = statusOf(old, now);
    if (status === 'revoked' || status === 'expired') {
      throw notRotatable(keyId, `it is ${status}`);
    }

    const { fields, plaintextKey } = newSecretFields(now);
    const successor: ApiKeyRecord = { ...old, ...fields, rotatedFrom: old.id };
    const by = actorName(actor);
    const stored = await store.rotateKey({
      oldId: old.id,
      successor,
      graceEndsAt: now + gracePeriodMs,
      events: [
        { keyId: old.id, type: 'rotated', reason: successor.id, actor: by, createdAt: now },
        { keyId: successor.id, type: 'created', reason: old.id, actor: by, createdAt: now },
      ],
    });
    if (!stored) {
      throw notRotatable(keyId, 'it was revoked or rotated already; rotate its successor instead');
    }
    deps.invalidate(old.id);
    (actor.log ?? logger).info(
      { event: 'api_key.rotated', keyId: old.id, successorId: stored.id },
      'api key rotated',
    );
    return { key: toApiKeyView(stored, now), plaintextKey };
  }

  function checkGracePeriod(gracePeriodMs: number): number {
    if (
      !Number.isSafeInteger(gracePeriodMs) ||
      gracePeriodMs < 0 ||
      gracePeriodMs > deps.maxGracePeriodMs
    ) {
      throw invalidField(
        '/gracePeriodMs',
        `gracePeriodMs must be a whole number from 0 to ${deps.maxGracePeriodMs}`,
      );
    }
    return gracePeriodMs;
  }

  return { create, rotate };
}

function notRotatable(keyId: string, reason: string): KeywardError {
  return new KeywardError('validation_failed', 'api key cannot be rotated', {
    detail: `The key ${keyId} cannot be rotated because ${reason}.`,
  });
}
