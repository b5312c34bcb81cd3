import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/** Header fields of a rate-limited response, by canonical name. */
export interface RateLimitHeaders {
  'RateLimit-Policy': string;
  RateLimit: string;
  'Retry-After'?: string;
}

/**
 * Builds the response headers of a decision in the form of draft-ietf-httpapi-ratelimit-headers-11
 * (May 2026): `RateLimit-Policy: "name";q=100;w=60` and `RateLimit: "name";r=5;t=12`, plus
 * `Retry-After` in whole seconds (at least 1) on a denial that a wait can cure.
 * `t` is the number of seconds until the bucket is full again. On a denial it is the Retry-After
 * value instead, because the draft states that Retry-After should not point before the end of `t`.
 * Raises `RangeError` when the policy name has characters outside printable ASCII.
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  policyName: string,
): RateLimitHeaders {
  const name = quotedName(policyName);
  const retryAfterSeconds = decision.allowed ? undefined : toRetryAfterSeconds(decision);
  const t = retryAfterSeconds ?? Math.ceil(decision.resetAfterMs / 1000);

  const headers: RateLimitHeaders = {
    'RateLimit-Policy': `${name};${formatPolicy(decision.policy)}`,
    RateLimit: `${name};r=${decision.remaining};t=${t}`,
  };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  return headers;
}

/**
 * Builds the `RateLimit` field alone, which an allowed response carries on the request path.
 * It equals `rateLimitHeaders(decision, policyName).RateLimit` for an allowed decision.
 */
export function allowedRateLimitField(decision: RateLimitDecision, policyName: string): string {
  return `${quotedName(policyName)};r=${decision.remaining};t=${Math.ceil(decision.resetAfterMs / 1000)}`;
}

/** Policy names serialized so far. The names are a few constants, so the map stays small. */
const quotedNames = new Map<string, string>();
const maxQuotedNames = 64;

function quotedName(policyName: string): string {
  let quoted = quotedNames.get(policyName);
  if (quoted === undefined) {
    quoted = toStructuredString(policyName);
    if (quotedNames.size < maxQuotedNames) quotedNames.set(policyName, quoted);
  }
  return quoted;
}

/**
 * Formats the quota parameters. The draft's window `w` is in whole seconds, so a window that is not
 * a whole number of seconds is rounded up and the quota scaled down to the same or a lower rate.
 * The burst goes in the vendor parameter `keyward-burst`, because the draft recommends a
 * vendor prefix for parameters it does not define. It appears only when it differs from `q`.
 */
function formatPolicy(policy: RateLimitPolicy): string {
  const windowSeconds = Math.ceil(policy.windowMs / 1000);
  const quota =
    policy.windowMs % 1000 === 0
      ? policy.limit
      : Math.floor((policy.limit * windowSeconds * 1000) / policy.windowMs);
  const burst = policy.burst ?? policy.limit;

  const params = `q=${quota};w=${windowSeconds}`;
  return burst === quota ? params : `${params};keyward-burst=${burst}`;
}

/** Returns the Retry-After seconds, or undefined when the cost exceeds the burst and no wait helps. */
function toRetryAfterSeconds(decision: RateLimitDecision): number | undefined {
  if (!Number.isFinite(decision.retryAfterMs)) return undefined;
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}

/** Serializes a structured field String (RFC 9651): printable ASCII in double quotes, `"` and `\` escaped. */
function toStructuredString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new RangeError(
      `rate limit policy name must be printable ASCII, got ${JSON.stringify(value)}`,
    );
  }
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
