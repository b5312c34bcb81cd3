import { KeywardError } from '../errors/index.js';
import type { RateLimitPolicy } from '../ratelimit/index.js';
import { type Actor, actorName, loadOwnedKey } from './access.js';
import type { ApiKeyLogger } from './logger.js';
import type { ApiKeyEventType, ApiKeyRecord } from './model.js';
import type { ApiKeyChanges, ApiKeyStore } from './store.js';
import {
  checkWithinCeiling,
  validateExpiresAt,
  validateMetadata,
  validateName,
  validateRateLimit,
} from './validate.js';
import { type ApiKeyView, toApiKeyView } from './view.js';

/** Settings that `update` changes. Absent fields stay as they are. Times are epoch ms. */
export interface UpdateApiKeyInput {
  name?: string;
  metadata?: Record<string, unknown>;
  /** Null removes the expiry. */
  expiresAt?: number | null;
  /** Null returns the key to the service default. */
  ratelimit?: RateLimitPolicy | null;
}

export interface ManageDeps {
  store: ApiKeyStore;
  logger: ApiKeyLogger;
  now: () => number;
  /** The service's default limit, which a user's key may not exceed. */
  defaultRateLimit: RateLimitPolicy | undefined;
  invalidate(keyId: string): void;
}

/**
 * Builds the operations that change an existing key. Each writes an audit event in the same
 * transaction and drops the key from every instance's cache. They raise `not_found` for a key
 * the actor may not manage, and `validation_failed` for changes to a revoked key.
 */
export function createManager(deps: ManageDeps) {
  const { store, logger } = deps;

  async function change(
    actor: Actor,
    record: ApiKeyRecord,
    type: ApiKeyEventType,
    changes: Omit<ApiKeyChanges, 'updatedAt'>,
    reason: string | null = null,
  ): Promise<ApiKeyView> {
    const now = deps.now();
    const event = { keyId: record.id, type, reason, actor: actorName(actor), createdAt: now };
    const updated = await store.updateKey(record.id, { ...changes, updatedAt: now }, [event]);
    if (!updated) {
      throw new KeywardError('not_found', 'api key not found', {
        detail: `No API key ${record.id}.`,
      });
    }
    deps.invalidate(record.id);
    (actor.log ?? logger).info(
      { event: `api_key.${type}`, keyId: record.id, actor: event.actor },
      `api key ${type}`,
    );
    return toApiKeyView(updated, now);
  }

  async function loadChangeable(actor: Actor, keyId: string): Promise<ApiKeyRecord> {
    const record = await loadOwnedKey(store, actor, keyId);
    if (record.revokedAt !== null) {
      throw new KeywardError('validation_failed', 'api key is revoked', {
        detail: `The key ${keyId} is revoked and cannot be changed.`,
      });
    }
    return record;
  }

  return {
    /** Revokes a key at once. Revoking a revoked key changes nothing. */
    async revoke(actor: Actor, keyId: string): Promise<ApiKeyView> {
      const record = await loadOwnedKey(store, actor, keyId);
      if (record.revokedAt !== null) {
        return toApiKeyView(record, deps.now());
      }
      return change(actor, record, 'revoked', { revokedAt: deps.now() });
    },

    /** Makes verification reject the key until `enable`. Disabling it again changes nothing. */
    async disable(actor: Actor, keyId: string): Promise<ApiKeyView> {
      const record = await loadChangeable(actor, keyId);
      if (record.disabledAt !== null) {
        return toApiKeyView(record, deps.now());
      }
      return change(actor, record, 'disabled', { disabledAt: deps.now() });
    },

    /** Makes verification accept a disabled key again. Enabling it again changes nothing. */
    async enable(actor: Actor, keyId: string): Promise<ApiKeyView> {
      const record = await loadChangeable(actor, keyId);
      if (record.disabledAt === null) {
        return toApiKeyView(record, deps.now());
      }
      return change(actor, record, 'enabled', { disabledAt: null });
    },

    /** Changes name, metadata, expiry or rate limit. The event lists the changed fields. */
    async update(actor: Actor, keyId: string, input: UpdateApiKeyInput): Promise<ApiKeyView> {
      const record = await loadChangeable(actor, keyId);
      const changes = validateUpdate(input, deps.now());
      if (actor.type === 'user' && changes.ratelimit !== undefined) {
        checkWithinCeiling(changes.ratelimit, deps.defaultRateLimit);
      }
      const fields = Object.keys(changes);
      if (fields.length === 0) {
        return toApiKeyView(record, deps.now());
      }
      return change(actor, record, 'updated', changes, fields.join(','));
    },
  };
}

function validateUpdate(input: UpdateApiKeyInput, now: number): Omit<ApiKeyChanges, 'updatedAt'> {
  const changes: Omit<ApiKeyChanges, 'updatedAt'> = {};
  if (input.name !== undefined) changes.name = validateName(input.name);
  if (input.metadata !== undefined) changes.metadata = validateMetadata(input.metadata);
  if (input.expiresAt !== undefined) changes.expiresAt = validateExpiresAt(input.expiresAt, now);
  if (input.ratelimit !== undefined) changes.ratelimit = validateRateLimit(input.ratelimit);
  return changes;
}
