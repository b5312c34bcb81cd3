import type { RateLimitPolicy } from '../ratelimit/index.js';
import type { ApiKeyEventRecord, ApiKeyEventType, ApiKeyRecord, CreditRefill } from './model.js';

/** State of a key at a given time. A revoked key stays `revoked` after its expiry. */
export type ApiKeyStatus = 'active' | 'disabled' | 'expired' | 'revoked';

/** A key as shown to its owner: no hash and no plaintext. Times are ISO 8601 strings. */
export interface ApiKeyView {
  id: string;
  name: string;
  userId: string | null;
  start: string;
  scopes: string[];
  metadata: Record<string, unknown>;
  status: ApiKeyStatus;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  /** Updated in batches, so it may lag the latest use by the flush interval. */
  lastUsedAt: string | null;
  revokedAt: string | null;
  disabledAt: string | null;
  rotatedFrom: string | null;
  credits: { remaining: number; refill: CreditRefill | null } | null;
  ratelimit: RateLimitPolicy | null;
}

/** An audit event as shown to the key's owner. */
export interface ApiKeyEventView {
  id: number;
  keyId: string;
  type: ApiKeyEventType;
  reason: string | null;
  actor: string | null;
  createdAt: string;
}

/** Tells the status of a key at `now`. */
export function statusOf(record: ApiKeyRecord, now: number): ApiKeyStatus {
  if (record.revokedAt !== null) return 'revoked';
  if (record.expiresAt !== null && record.expiresAt <= now) return 'expired';
  if (record.disabledAt !== null) return 'disabled';
  return 'active';
}

/** Builds the owner's view of a record. */
export function toApiKeyView(record: ApiKeyRecord, now: number): ApiKeyView {
  const { credits } = record;
  return {
    id: record.id,
    name: record.name,
    userId: record.userId,
    start: record.start,
    scopes: record.scopes,
    metadata: record.metadata,
    status: statusOf(record, now),
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    expiresAt: isoTimeOrNull(record.expiresAt),
    lastUsedAt: isoTimeOrNull(record.lastUsedAt),
    revokedAt: isoTimeOrNull(record.revokedAt),
    disabledAt: isoTimeOrNull(record.disabledAt),
    rotatedFrom: record.rotatedFrom,
    credits: credits && { remaining: credits.remaining, refill: credits.refill },
    ratelimit: record.ratelimit,
  };
}

/** Builds the owner's view of an audit event. */
export function toEventView(event: ApiKeyEventRecord): ApiKeyEventView {
  return { ...event, createdAt: isoTime(event.createdAt) };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}
