import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyHasher, peppersFromSettings } from '../../src/apikeys/peppers.js';
import { isKeywardError, type KeywardError } from '../../src/errors/index.js';

const secret = () => randomBytes(32).toString('base64url');

function errorOf(action: () => unknown): KeywardError {
  try {
    action();
  } catch (error) {
    if (isKeywardError(error)) return error;
    throw error;
  }
  throw new Error('expected a KeywardError');
}

describe('peppersFromSettings', () => {
  it('reads a bare secret as version 1', () => {
    const current = secret();
    expect(peppersFromSettings(current)).toEqual({
      current: { version: 1, secret: current },
      previous: [],
    });
  });

  it('reads versions and previous peppers', () => {
    const [a, b, c] = [secret(), secret(), secret()];
    const peppers = peppersFromSettings(`3:${a}`, ` 2:${b}, 1:${c} `);
    expect(peppers.current).toEqual({ version: 3, secret: a });
    expect(peppers.previous).toEqual([
      { version: 2, secret: b },
      { version: 1, secret: c },
    ]);
  });

  it('rejects a missing pepper, naming the variable', () => {
    const error = errorOf(() => peppersFromSettings(undefined));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('KEYWARD_API_KEY_PEPPER');
  });

  it('rejects a previous pepper without a version and never echoes it', () => {
    const leaked = secret();
    const error = errorOf(() => peppersFromSettings(secret(), leaked));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('KEYWARD_API_KEY_PREVIOUS_PEPPERS entry 1');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      leaked,
    );
  });

  it('rejects repeated versions and version 0', () => {
    const current = secret();
    expect(errorOf(() => peppersFromSettings(`1:${current}`, `1:${secret()}`)).code).toBe(
      'validation_failed',
    );
    const zero = errorOf(() => peppersFromSettings(`0:${current}`));
    expect(zero.code).toBe('validation_failed');
    expect(zero.message).not.toContain(current);
  });
});

describe('createKeyHasher', () => {
  it('makes HMAC hashes that depend on the pepper', () => {
    const one = createKeyHasher(peppersFromSettings(secret()));
    const two = createKeyHasher(peppersFromSettings(secret()));
    expect(one.hash('kw_test_x')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.hash('kw_test_x')).toBe(one.hash('kw_test_x'));
    expect(one.hash('kw_test_x')).not.toBe(two.hash('kw_test_x'));
  });

  it('lists the current hash first, then the previous ones', () => {
    const old = secret();
    const hasher = createKeyHasher(peppersFromSettings(`2:${secret()}`, `1:${old}`));
    const candidates = hasher.hashAll('kw_test_x');
    expect(candidates.map((candidate) => candidate.version)).toEqual([2, 1]);
    expect(candidates[0]?.hash).toBe(hasher.hash('kw_test_x'));
    expect(candidates[1]?.hash).toBe(createKeyHasher(peppersFromSettings(old)).hash('kw_test_x'));
  });
});
