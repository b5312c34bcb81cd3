import { KeywardError } from '../errors/index.js';
import { validatePolicy } from './policy.js';
import type { RateLimitPolicy } from './types.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** LIMIT/[COUNT]UNIT with an optional :burst=N, for example `100/60s` or `100/m:burst=20`. */
const RATE_LIMIT_PATTERN = /^(\d+)\/(\d*)(ms|s|m|h|d)(?::burst=(\d+))?$/;

const EXPECTED_FORM =
  'expected LIMIT/WINDOW[:burst=N] such as 100/60s, 1000/1h or 100/60s:burst=20, ' +
  'where WINDOW is an optional whole number followed by ms, s, m (minutes), h or d';

/**
 * Parses a rate limit such as `KEYWARD_RATE_LIMIT`: `100/60s` is 100 requests per 60 seconds with
 * bursts of 100, `100/60s:burst=20` caps bursts at 20, and `100/s` means `100/1s`.
 * Units: ms, s, m (minutes), h, d. Surrounding whitespace is ignored.
 * Raises `validation_failed` with the expected form when the text does not match or the numbers
 * are out of range.
 */
export function parseRateLimit(text: string): RateLimitPolicy {
  const match = RATE_LIMIT_PATTERN.exec(text.trim());
  if (!match) fail(`invalid rate limit ${JSON.stringify(text)}: ${EXPECTED_FORM}`);

  const [, limitText, countText, unit, burstText] = match;
  const count = countText ? Number(countText) : 1;
  const policy: RateLimitPolicy = {
    limit: Number(limitText),
    windowMs: count * UNIT_MS[unit as keyof typeof UNIT_MS],
  };
  if (burstText !== undefined) policy.burst = Number(burstText);

  try {
    validatePolicy(policy);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    fail(`invalid rate limit ${JSON.stringify(text)}: ${reason}; ${EXPECTED_FORM}`);
  }
  return policy;
}

function fail(message: string): never {
  throw new KeywardError('validation_failed', message, { detail: message });
}
