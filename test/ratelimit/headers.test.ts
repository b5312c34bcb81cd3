import { describe, expect, it } from 'vitest';
import {
  allowedRateLimitField,
  type RateLimitDecision,
  rateLimitHeaders,
} from '../../src/ratelimit/index.js';

function decision(fields: Partial<RateLimitDecision>): RateLimitDecision {
  return {
    allowed: true,
    limit: 100,
    remaining: 99,
    resetAt: 0,
    resetAfterMs: 600,
    retryAfterMs: 0,
    policy: { limit: 100, windowMs: 60_000 },
    degraded: false,
    ...fields,
  };
}

describe('rateLimitHeaders', () => {
  it('describes an allowed request', () => {
    expect(rateLimitHeaders(decision({}), 'api-key')).toEqual({
      'RateLimit-Policy': '"api-key";q=100;w=60',
      RateLimit: '"api-key";r=99;t=1',
    });
  });

  it('adds Retry-After equal to t on denial', () => {
    const denied = decision({
      allowed: false,
      remaining: 0,
      resetAfterMs: 60_000,
      retryAfterMs: 1_200,
    });

    expect(rateLimitHeaders(denied, 'api-key')).toEqual({
      'RateLimit-Policy': '"api-key";q=100;w=60',
      RateLimit: '"api-key";r=0;t=2',
      'Retry-After': '2',
    });
  });

  it('sends Retry-After of at least 1 second', () => {
    const denied = decision({ allowed: false, remaining: 0, retryAfterMs: 1 });

    expect(rateLimitHeaders(denied, 'p')['Retry-After']).toBe('1');
    expect(rateLimitHeaders(denied, 'p').RateLimit).toBe('"p";r=0;t=1');
  });

  it('omits Retry-After when no wait helps', () => {
    const tooLarge = decision({
      allowed: false,
      remaining: 100,
      resetAfterMs: 0,
      retryAfterMs: Number.POSITIVE_INFINITY,
    });

    expect(rateLimitHeaders(tooLarge, 'p')).toEqual({
      'RateLimit-Policy': '"p";q=100;w=60',
      RateLimit: '"p";r=100;t=0',
    });
  });

  it('advertises a burst that differs from the quota', () => {
    const burst = decision({ policy: { limit: 100, windowMs: 60_000, burst: 20 }, remaining: 19 });

    expect(rateLimitHeaders(burst, 'p')['RateLimit-Policy']).toBe(
      '"p";q=100;w=60;keyward-burst=20',
    );
  });

  it('scales a sub-second window to whole seconds', () => {
    const halfSecond = decision({ limit: 5, policy: { limit: 5, windowMs: 500 } });
    const oddWindow = decision({ limit: 5, policy: { limit: 5, windowMs: 1500 } });

    expect(rateLimitHeaders(halfSecond, 'p')['RateLimit-Policy']).toBe(
      '"p";q=10;w=1;keyward-burst=5',
    );
    expect(rateLimitHeaders(oddWindow, 'p')['RateLimit-Policy']).toBe(
      '"p";q=6;w=2;keyward-burst=5',
    );
  });

  it('escapes quotes and backslashes in the policy name', () => {
    expect(rateLimitHeaders(decision({}), 'a"b\\c').RateLimit).toBe('"a\\"b\\\\c";r=99;t=1');
  });

  it('rejects a policy name outside printable ASCII', () => {
    expect(() => rateLimitHeaders(decision({}), 'line\nbreak')).toThrow(RangeError);
    expect(() => rateLimitHeaders(decision({}), 'clé')).toThrow(RangeError);
  });
});

describe('allowedRateLimitField', () => {
  it('equals the RateLimit field of rateLimitHeaders for an allowed decision', () => {
    for (const fields of [{}, { remaining: 0, resetAfterMs: 60_000 }, { resetAfterMs: 0 }]) {
      for (const name of ['api-key', 'say "hi"\\']) {
        const allowed = decision(fields);
        expect(allowedRateLimitField(allowed, name)).toBe(
          rateLimitHeaders(allowed, name).RateLimit,
        );
      }
    }
  });

  it('refuses a policy name outside printable ASCII', () => {
    expect(() => allowedRateLimitField(decision({}), 'naïve')).toThrow(RangeError);
  });
});
