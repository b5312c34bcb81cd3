import type { Generated } from 'kysely';

/**
 * Table types shared by the SQLite and PostgreSQL stores. Times are integer milliseconds since the
 * Unix epoch in both databases (PostgreSQL `bigint`, parsed back to numbers), and JSON values are
 * stored as text so both databases read them the same way.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  api_key_events: ApiKeyEventsTable;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  /** JSON array of scope strings. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

/** A refresh-token family: one login and every refresh token rotated from it. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  /** SHA-256 of the opaque token, base64url. The token itself is never stored. */
  hash: string;
  session_id: string;
  created_at: number;
  expires_at: number;
  spent_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  /** Owner; null for a service key made by an operator. */
  user_id: string | null;
  name: string;
  prefix: string;
  /** First characters of the key, shown in listings so a user can recognise it. */
  start: string;
  /** Keyed hash of the plaintext key, base64url. */
  hash: string;
  /** Version of the pepper the hash was made with; 0 means plain SHA-256. */
  hash_version: number;
  /** JSON array of scope strings. */
  scopes: string;
  /** JSON object, size-limited by the service. */
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  disabled_at: number | null;
  /** Id of the key this one replaced by rotation. */
  rotated_from: string | null;
  /** Remaining usage credits; null means unlimited. */
  credits_remaining: number | null;
  refill_amount: number | null;
  /** `day` or `month`, or null for no refill. */
  refill_interval: string | null;
  refilled_at: number | null;
  ratelimit_limit: number | null;
  ratelimit_window_ms: number | null;
  ratelimit_burst: number | null;
}

export interface ApiKeyEventsTable {
  id: Generated<number>;
  key_id: string;
  type: string;
  reason: string | null;
  /** Cause of the event: a user id, `cli`, or null for the system. */
  actor: string | null;
  created_at: number;
}
