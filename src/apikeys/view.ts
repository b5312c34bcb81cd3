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

/** Latest date accepted by the fast path of `isoTime`: 9999-12-31T23:59:59.999Z. */
const lastFourDigitYearMs = 253_402_300_799_999;
let cachedMinute = Number.NaN;
let cachedMinutePrefix = '';

/**
 * Formats epoch ms as `Date.prototype.toISOString` does. Verification formats a rate-limit reset
 * time on every request, and toISOString cost most of a microsecond each here, so the text up to
 * the minute is kept for the latest minute seen and only seconds and milliseconds are formatted.
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  if (!(whole >= 0 && whole <= lastFourDigitYearMs)) {
    return new Date(ms).toISOString();
  }
  const minute = Math.floor(whole / 60_000);
  if (minute !== cachedMinute) {
    // "YYYY-MM-DDTHH:MM:" is the first 17 characters.
    cachedMinutePrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    cachedMinute = minute;
  }
  const withinMinute = whole - minute * 60_000;
  const seconds = Math.floor(withinMinute / 1000);
  const millis = withinMinute - seconds * 1000;
  const secondsText = `${seconds}`.padStart(2, '0');
  const millisText = `${millis}`.padStart(3, '0');
  return `${cachedMinutePrefix}${secondsText}.${millisText}Z`;
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}
