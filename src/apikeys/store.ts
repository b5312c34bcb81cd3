import type { RateLimitPolicy } from '../ratelimit/index.js';
import type { ApiKeyEventRecord, ApiKeyRecord, NewApiKeyEvent } from './model.js';

/** Fields that lifecycle operations change on an existing key. */
export interface ApiKeyChanges {
  name?: string;
  metadata?: Record<string, unknown>;
  expiresAt?: number | null;
  ratelimit?: RateLimitPolicy | null;
  revokedAt?: number;
  disabledAt?: number | null;
  updatedAt: number;
}

/** Outcome of spending credits: whether they were spent, and the credits left afterwards. */
export interface CreditSpend {
  spent: boolean;
  remaining: number;
}

/** Input of `rotateKey`: the successor to insert and the end of the old key's grace period. */
export interface KeyRotation {
  oldId: string;
  /** The new key. Its credits are replaced by the old key's stored credits. */
  successor: ApiKeyRecord;
  /** End of the grace period. An earlier expiry of the old key is kept. */
  graceEndsAt: number;
  events: NewApiKeyEvent[];
}

/**
 * Storage of API keys and their audit events, with the same behaviour on every database.
 * Methods that change several rows do so in one transaction.
 */
export interface ApiKeyStore {
  /** Inserts a key with its events. */
  insertKey(record: ApiKeyRecord, events: NewApiKeyEvent[]): Promise<void>;
  findKeyById(id: string): Promise<ApiKeyRecord | undefined>;
  /** Finds the key whose hash is one of `hashes`, one hash per pepper version. */
  findKeyByHashes(hashes: readonly string[]): Promise<ApiKeyRecord | undefined>;
  /** Keys of one owner (null: service keys), or of every owner when `userId` is undefined. */
  listKeys(userId: string | null | undefined): Promise<ApiKeyRecord[]>;
  /** Applies `changes` and inserts `events`. Returns undefined when the key does not exist. */
  updateKey(
    id: string,
    changes: ApiKeyChanges,
    events: NewApiKeyEvent[],
  ): Promise<ApiKeyRecord | undefined>;
  /**
   * Inserts the successor, caps the old key's expiry at `graceEndsAt`, and moves the old key's
   * credits and refill to the successor, so rotation never duplicates credits. Returns the stored
   * successor, or undefined when the old key is missing, revoked, or rotated already.
   */
  rotateKey(rotation: KeyRotation): Promise<ApiKeyRecord | undefined>;
  /** Replaces a hash made under an older pepper, unless the hash changed meanwhile. */
  rehashKey(id: string, oldHash: string, hash: string, hashVersion: number): Promise<void>;
  /**
   * Atomically spends `cost` credits when at least `required` remain, after raising the credits
   * to the refill amount if `refillPeriodStart` is later than the last refill. Returns undefined
   * when the key does not exist or has unlimited credits.
   */
  spendCredits(
    id: string,
    cost: number,
    required: number,
    refillPeriodStart: number | undefined,
  ): Promise<CreditSpend | undefined>;
  /** The key that replaced `id` by rotation, unless it is revoked. */
  findSuccessor(id: string): Promise<ApiKeyRecord | undefined>;
  /** Raises `last_used_at` to the given times and never lowers it. */
  touchLastUsed(entries: readonly { id: string; lastUsedAt: number }[]): Promise<void>;
  insertEvents(events: readonly NewApiKeyEvent[]): Promise<void>;
  /** Events of a key, newest first, with ids below `beforeId` when given. */
  listEvents(keyId: string, limit: number, beforeId?: number): Promise<ApiKeyEventRecord[]>;
}
