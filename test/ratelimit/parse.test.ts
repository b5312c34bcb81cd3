import { describe, expect, it } from 'vitest';
import { isKeywardError } from '../../src/errors/index.js';
import { parseRateLimit } from '../../src/ratelimit/index.js';

describe('parseRateLimit', () => {
  it.each([
    ['100/60s', { limit: 100, windowMs: 60_000 }],
    ['10/1s', { limit: 10, windowMs: 1000 }],
    ['10/s', { limit: 10, windowMs: 1000 }],
    ['1000/1h', { limit: 1000, windowMs: 3_600_000 }],
    ['5/500ms', { limit: 5, windowMs: 500 }],
    ['30/5m', { limit: 30, windowMs: 300_000 }],
    ['10000/1d', { limit: 10_000, windowMs: 86_400_000 }],
    ['100/60s:burst=20', { limit: 100, windowMs: 60_000, burst: 20 }],
    ['  100/m:burst=150 ', { limit: 100, windowMs: 60_000, burst: 150 }],
  ])('parses %s', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });

  it.each([
    '',
    '100',
    '100/',
    '100/60',
    '100/60sec',
    '100/60S',
    '-1/60s',
    '1.5/60s',
    '100/60s:burst',
    '100/60s;burst=20',
    '100 / 60s',
  ])('rejects the malformed %j', (text) => {
    try {
      parseRateLimit(text);
      expect.unreachable();
    } catch (error) {
      expect(isKeywardError(error, 'validation_failed')).toBe(true);
      expect((error as Error).message).toContain('expected LIMIT/WINDOW[:burst=N]');
    }
  });

  it.each([
    ['0/60s', 'limit must be a positive integer'],
    ['100/0s', 'windowMs must be a positive integer'],
    ['10/60s:burst=0', 'burst must be a positive integer'],
    ['2000/1ms', 'faster than one request per microsecond'],
    ['1/99999999d', 'too large to count in microseconds'],
    ['1/5000d:burst=1000', 'must be at most 8 years'],
  ])('rejects the out-of-range %s', (text, reason) => {
    expect(() => parseRateLimit(text)).toThrow(reason);
  });
});
