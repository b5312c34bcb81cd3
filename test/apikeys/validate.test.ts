import { describe, expect, it } from 'vitest';
import { validateExpiresAt, validateName } from '../../src/apikeys/validate.js';
import type { KeywardError } from '../../src/errors/index.js';

describe('key name validation', () => {
  it('rejects terminal controls, bidirectional overrides and lone surrogates', () => {
    for (const name of ['a\u0000b', 'evil\u009b2J', 'gpj\u202eexe', 'x\u2066y', 'a\ud800b', ' ']) {
      expect(() => validateName(name), JSON.stringify(name)).toThrow('invalid API key name');
    }
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateName('🔑'.repeat(100))).toHaveLength(200);
    expect(() => validateName('🔑'.repeat(101))).toThrow('invalid API key name');
  });

  it('trims and keeps ordinary names', () => {
    expect(validateName('  billing service (prod) ')).toBe('billing service (prod)');
  });
});

describe('expiry validation', () => {
  const now = Date.UTC(2026, 0, 1);
  /** Returns the detail of the error that `validateExpiresAt` raises. */
  const detailOf = (expiresAt: number) => {
    try {
      validateExpiresAt(expiresAt, now);
    } catch (error) {
      return (error as KeywardError).details.detail;
    }
    return 'accepted';
  };

  it('accepts the last millisecond of the year 9999', () => {
    const last = Date.UTC(10_000, 0, 1) - 1;
    expect(validateExpiresAt(last, now)).toBe(last);
  });

  it('rejects the year 10000 and times no Date can hold', () => {
    for (const expiresAt of [Date.UTC(10_000, 0, 1), 8.64e15 + 1, Number.MAX_SAFE_INTEGER]) {
      expect(detailOf(expiresAt), String(expiresAt)).toBe(
        'expiresAt must be before the year 10000',
      );
    }
  });

  it('rejects the present', () => {
    expect(detailOf(now)).toBe('expiresAt must be a time in the future');
  });
});
