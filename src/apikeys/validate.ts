import { KeywardError } from '../errors/index.js';
import type { RateLimitPolicy } from '../ratelimit/index.js';
import { validatePolicy } from '../ratelimit/policy.js';
import type { CreditRefill } from './model.js';

/** Maximum size of a key's metadata as UTF-8 JSON, in bytes. */
export const MAX_METADATA_BYTES = 4096;
const MAX_NAME_LENGTH = 100;
const MAX_SCOPES = 32;
const SCOPE = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}$/;
// Large enough for any real quota, small enough to stay exact in a double and in a bigint column.
const MAX_CREDITS = 1e12;

/** Raises `validation_failed` with a JSON pointer to the field. */
export function invalidField(pointer: string, message: string): KeywardError {
  return new KeywardError('validation_failed', `invalid API key ${pointer.slice(1)}`, {
    detail: message,
    errors: [{ pointer, message }],
  });
}

// C0 and C1 controls and DEL drive terminals, so a name shown by `keyward keys list` could clear
// the screen or forge output. Bidirectional overrides and isolates reorder displayed text
// (CVE-2021-42574). Lone surrogates cannot be stored as UTF-8.
const unsafeNameCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/**
 * Returns the trimmed name. Raises `validation_failed` when it is empty, longer than 100
 * characters, or contains control, bidirectional-override or unpaired surrogate characters.
 */
export function validateName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  const length = [...trimmed].length;
  if (trimmed === '' || length > MAX_NAME_LENGTH || unsafeNameCharacters.test(trimmed)) {
    throw invalidField('/name', `name must be 1 to ${MAX_NAME_LENGTH} printable characters`);
  }
  return trimmed;
}

/**
 * Returns the scopes without duplicates. `ownerScopes` is undefined for a service key, which may
 * have any scope. A user's key may have only scopes its owner has, else `insufficient_scope`.
 */
export function validateScopes(
  scopes: unknown,
  ownerScopes: readonly string[] | undefined,
): string[] {
  if (!Array.isArray(scopes) || scopes.length > MAX_SCOPES) {
    throw invalidField('/scopes', `scopes must be a list of at most ${MAX_SCOPES} scopes`);
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) {
      throw invalidField(
        '/scopes',
        'each scope is 1 to 64 letters, digits or the characters : . _ / -',
      );
    }
  }
  const unique = [...new Set(scopes as string[])];
  const missing = ownerScopes && unique.find((scope) => !ownerScopes.includes(scope));
  if (missing) {
    throw new KeywardError('insufficient_scope', 'api key scope not held by its owner', {
      scope: missing,
      detail: `A key cannot have the scope "${missing}" because its owner does not have it.`,
    });
  }
  return unique;
}

/** Returns the metadata. Raises `validation_failed` unless it is a JSON object of at most 4 KB. */
export function validateMetadata(metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalidField('/metadata', 'metadata must be a JSON object');
  }
  let json: string;
  try {
    json = JSON.stringify(metadata);
  } catch {
    throw invalidField('/metadata', 'metadata must be serialisable as JSON');
  }
  if (Buffer.byteLength(json, 'utf8') > MAX_METADATA_BYTES) {
    throw invalidField('/metadata', `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  }
  return JSON.parse(json) as Record<string, unknown>;
}

/**
 * First instant of the year 10000, in epoch ms. Later times have no four-digit ISO 8601 form,
 * and from 8.64e15 ms on no JavaScript Date can hold them, so a key view could not be built.
 */
const firstInstantAfterYear9999 = Date.UTC(10_000, 0, 1);

/**
 * Returns the expiry in epoch ms, or null. Raises `validation_failed` unless it is after `now`
 * and before the year 10000.
 */
export function validateExpiresAt(
  expiresAt: number | null | undefined,
  now: number,
): number | null {
  if (expiresAt === undefined || expiresAt === null) {
    return null;
  }
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) {
    throw invalidField('/expiresAt', 'expiresAt must be a time in the future');
  }
  if (expiresAt >= firstInstantAfterYear9999) {
    throw invalidField('/expiresAt', 'expiresAt must be before the year 10000');
  }
  return expiresAt;
}

/** Returns a copy of the policy. Raises `validation_failed` for a policy the limiter rejects. */
export function validateRateLimit(
  policy: RateLimitPolicy | null | undefined,
): RateLimitPolicy | null {
  if (policy === undefined || policy === null) {
    return null;
  }
  const copy: RateLimitPolicy = { limit: policy.limit, windowMs: policy.windowMs };
  if (policy.burst !== undefined) copy.burst = policy.burst;
  try {
    validatePolicy(copy);
  } catch (error) {
    throw invalidField('/ratelimit', (error as Error).message);
  }
  return copy;
}

/** Credits as given to `create`: the starting balance and an optional refill. */
export interface CreditInput {
  remaining: number;
  refill?: CreditRefill | null;
}

/** Returns the credits. Raises `validation_failed` for negative or fractional numbers. */
export function validateCredits(credits: CreditInput): {
  remaining: number;
  refill: CreditRefill | null;
} {
  if (!isCount(credits.remaining, 0)) {
    throw invalidField(
      '/credits/remaining',
      `remaining must be a whole number from 0 to ${MAX_CREDITS}`,
    );
  }
  const refill = credits.refill ?? null;
  if (refill && !isCount(refill.amount, 1)) {
    throw invalidField(
      '/credits/refill/amount',
      `amount must be a whole number from 1 to ${MAX_CREDITS}`,
    );
  }
  if (refill && refill.interval !== 'day' && refill.interval !== 'month') {
    throw invalidField('/credits/refill/interval', 'interval must be "day" or "month"');
  }
  return {
    remaining: credits.remaining,
    refill: refill && { amount: refill.amount, interval: refill.interval },
  };
}

function isCount(value: unknown, min: number): value is number {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= MAX_CREDITS
  );
}

/**
 * Raises `validation_failed` when a user requests a limit looser than `ceiling` (the service
 * default): a faster sustained rate or a larger burst. Without it, the default would protect
 * nothing, because every user could lift it for their own keys.
 */
export function checkWithinCeiling(
  policy: RateLimitPolicy | null,
  ceiling: RateLimitPolicy | undefined,
): void {
  if (!policy || !ceiling) {
    return;
  }
  const faster = policy.limit * ceiling.windowMs > ceiling.limit * policy.windowMs;
  const burstier = (policy.burst ?? policy.limit) > (ceiling.burst ?? ceiling.limit);
  if (faster || burstier) {
    const allowed = `${ceiling.limit} per ${ceiling.windowMs} ms, burst ${ceiling.burst ?? ceiling.limit}`;
    throw invalidField('/ratelimit', `ratelimit may not exceed the default of ${allowed}`);
  }
}
