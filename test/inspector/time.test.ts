import { describe, expect, it } from 'vitest';
import {
  describeDuration,
  describeRelative,
  formatNumericDate,
} from '../../src/inspector/index.js';

describe('describeDuration', () => {
  it('uses the largest whole unit', () => {
    expect(describeDuration(1)).toBe('1 second');
    expect(describeDuration(59)).toBe('59 seconds');
    expect(describeDuration(899)).toBe('14 minutes');
    expect(describeDuration(3 * 3600 + 5)).toBe('3 hours');
    expect(describeDuration(90_000)).toBe('1 day');
    expect(describeDuration(800 * 86_400)).toBe('2 years');
  });

  it('describes negative durations by magnitude', () => {
    expect(describeDuration(-120)).toBe('2 minutes');
  });
});

describe('describeRelative', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const nowSeconds = now.getTime() / 1000;

  it('describes future and past times', () => {
    expect(describeRelative(nowSeconds + 14 * 60, now)).toBe('in 14 minutes');
    expect(describeRelative(nowSeconds - 3 * 3600, now)).toBe('3 hours ago');
    expect(describeRelative(nowSeconds, now)).toBe('now');
  });
});

describe('formatNumericDate', () => {
  it('formats seconds as UTC ISO 8601', () => {
    expect(formatNumericDate(1_767_268_800)).toBe('2026-01-01T12:00:00Z');
  });

  it('returns undefined out of range', () => {
    expect(formatNumericDate(1e20)).toBeUndefined();
  });
});
