import type { RateLimitPolicy } from '../ratelimit/index.js';

/** How often credits are topped up: at the start of each UTC day or UTC month. */
export type RefillInterval = 'day' | 'month';

/** A refill: at each interval start, the remaining credits are raised to `amount` if lower. */
export interface CreditRefill {
  amount: number;
  interval: RefillInterval;
}

/** Usage credits of a key: each verification spends its cost from `remaining`. */
export interface CreditState {
  remaining: number;
  refill: CreditRefill | null;
  /** Start of the refill period last applied, in epoch ms, or null before any refill. */
  refilledAt: number | null;
}

/** A stored API key. Times are epoch milliseconds. The plaintext key is never stored. */
export interface ApiKeyRecord {
  /** `key_…` */
  id: string;
  /** Owner, or null for a service key made by an operator. */
  userId: string | null;
  name: string;
  /** `kw_<environment>_` */
  prefix: string;
  /** Prefix and first body characters, shown so a user can recognise the key. */
  start: string;
  /** HMAC-SHA256 of the plaintext under pepper `hashVersion`, base64url. */
  hash: string;
  hashVersion: number;
  scopes: string[];
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  disabledAt: number | null;
  /** Id of the key this one replaced by rotation. */
  rotatedFrom: string | null;
  /** Null means unlimited use. */
  credits: CreditState | null;
  /** Null means the service's default limit applies. */
  ratelimit: RateLimitPolicy | null;
}

/** Kinds of audit events. */
export type ApiKeyEventType =
  | 'created'
  | 'rotated'
  | 'updated'
  | 'revoked'
  | 'disabled'
  | 'enabled'
  | 'verification_failed';

/** An audit event to write. */
export interface NewApiKeyEvent {
  keyId: string;
  type: ApiKeyEventType;
  /**
   * For `verification_failed`, the verify code. For `rotated`, the successor's id, and for the
   * successor's `created`, the id of the key it replaced. For `updated`, the changed fields.
   */
  reason: string | null;
  /** A user id, an operator name such as `cli`, or null for the system. */
  actor: string | null;
  createdAt: number;
}

/** A stored audit event. Ids grow with insertion order. */
export interface ApiKeyEventRecord extends NewApiKeyEvent {
  id: number;
}
