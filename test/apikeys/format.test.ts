import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BASE62_ALPHABET,
  decodeBase62,
  encodeBase62,
  randomBase62,
} from '../../src/apikeys/base62.js';
import {
  API_KEY_PATTERN,
  generateApiKey,
  looksLikeApiKey,
  parseApiKey,
} from '../../src/apikeys/format.js';
import { isKeywardError } from '../../src/errors/index.js';

describe('generateApiKey', () => {
  it('makes keys of the documented shape', () => {
    const key = generateApiKey('live');
    expect(key.plaintextKey).toMatch(/^kw_live_[0-9A-Za-z]{28}$/);
    expect(key.prefix).toBe('kw_live_');
    expect(key.start).toBe(key.plaintextKey.slice(0, 12));
    expect(key.environment).toBe('live');
  });

  it('makes keys that parse back', () => {
    for (let i = 0; i < 200; i += 1) {
      const key = generateApiKey('test');
      expect(parseApiKey(key.plaintextKey)).toEqual(key);
    }
  });

  it('makes distinct keys', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('live').plaintextKey));
    expect(keys.size).toBe(1000);
  });

  it('rejects an invalid environment name', () => {
    for (const environment of ['', 'Live', 'a_b', 'x'.repeat(17), '1live']) {
      let error: unknown;
      try {
        generateApiKey(environment);
      } catch (caught) {
        error = caught;
      }
      expect(isKeywardError(error, 'validation_failed')).toBe(true);
    }
  });
});

describe('parseApiKey', () => {
  it('rejects every single-character substitution', () => {
    const { plaintextKey } = generateApiKey('live');
    let tried = 0;
    for (let index = 0; index < plaintextKey.length; index += 1) {
      for (const character of `${BASE62_ALPHABET}_-`) {
        if (character === plaintextKey[index]) continue;
        const typo = plaintextKey.slice(0, index) + character + plaintextKey.slice(index + 1);
        tried += 1;
        expect(parseApiKey(typo), typo).toBeUndefined();
      }
    }
    expect(tried).toBeGreaterThan(2000);
  });

  it('rejects every swap of two neighbouring characters', () => {
    const { plaintextKey } = generateApiKey('live');
    for (let index = 0; index + 1 < plaintextKey.length; index += 1) {
      if (plaintextKey[index] === plaintextKey[index + 1]) continue;
      const swapped =
        plaintextKey.slice(0, index) +
        plaintextKey[index + 1] +
        plaintextKey[index] +
        plaintextKey.slice(index + 2);
      expect(parseApiKey(swapped), swapped).toBeUndefined();
    }
  });

  it('rejects a dropped or added character', () => {
    const { plaintextKey } = generateApiKey('test');
    expect(parseApiKey(plaintextKey.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`${plaintextKey}a`)).toBeUndefined();
    expect(parseApiKey(` ${plaintextKey}`)).toBeUndefined();
  });

  it('rejects random strings of the right shape', () => {
    let accepted = 0;
    for (let i = 0; i < 10_000; i += 1) {
      if (parseApiKey(`kw_live_${randomBase62(28)}`)) accepted += 1;
    }
    // A random 6-character checksum matches with probability 2^-32 per try.
    expect(accepted).toBe(0);
  });

  it('rejects other credentials and oversized text', () => {
    expect(parseApiKey('')).toBeUndefined();
    expect(parseApiKey('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBeUndefined();
    expect(parseApiKey(randomBytes(24).toString('base64url'))).toBeUndefined();
    expect(parseApiKey(`kw_live_${'a'.repeat(10_000)}`)).toBeUndefined();
  });
});

describe('API_KEY_PATTERN', () => {
  it('finds keys inside text', () => {
    const { plaintextKey } = generateApiKey('live');
    const text = `export KEYWARD_KEY="${plaintextKey}" # prod`;
    expect(API_KEY_PATTERN.exec(text)?.[0]).toBe(plaintextKey);
  });

  it('ignores longer tokens that merely contain the prefix', () => {
    expect(API_KEY_PATTERN.test(`xkw_live_${randomBase62(28)}`)).toBe(false);
    const key = `kw_live_${randomBase62(28)}`;
    expect(API_KEY_PATTERN.exec(`token_${key}_old`)?.[0]).toBe(key);
    expect(API_KEY_PATTERN.test(`kw_live_${randomBase62(29)}`)).toBe(false);
  });
});

describe('looksLikeApiKey', () => {
  it('tells keys from JWTs by the prefix', () => {
    expect(looksLikeApiKey(generateApiKey('live').plaintextKey)).toBe(true);
    expect(looksLikeApiKey('kw_live_typo')).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
  });
});

describe('base62', () => {
  it('pads encoded numbers to the width', () => {
    expect(encodeBase62(0, 6)).toBe('000000');
    expect(encodeBase62(61, 6)).toBe('00000z');
    expect(encodeBase62(62, 6)).toBe('000010');
    expect(encodeBase62(2 ** 32 - 1, 6)).toHaveLength(6);
  });

  it('decodes what it encodes, padding included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string(), (value, before) => {
        expect(decodeBase62(before + encodeBase62(value, 6), before.length)).toBe(value);
      }),
    );
    expect(decodeBase62('x0000zz', 1)).toBe(61 * 62 + 61);
    expect(decodeBase62(BASE62_ALPHABET, BASE62_ALPHABET.length - 1)).toBe(61);
  });

  it('draws every digit about equally often', () => {
    const counts = new Map<string, number>();
    for (const character of randomBase62(62_000)) {
      counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // Expected 1000 each; a bias from `byte % 62` over all 256 bytes would give 1.3x for 0-7.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});
