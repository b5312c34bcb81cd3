import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toBase64Url, toHex } from '../../src/secrets/encoding.js';
import {
  encodedLength,
  generateSecret,
  randomBytes,
  secretEncodings,
  secretSizes,
} from '../../src/secrets/index.js';

const alphabets = {
  base64url: /^[A-Za-z0-9_-]+$/,
  hex: /^[0-9a-f]+$/,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
};

const expectedLengths = {
  base64url: { 32: 43, 48: 64, 64: 86 },
  hex: { 32: 64, 48: 96, 64: 128 },
  base64: { 32: 44, 48: 64, 64: 88 },
};

describe('generateSecret', () => {
  for (const encoding of secretEncodings) {
    for (const bytes of secretSizes) {
      it(`produces ${bytes} bytes as ${encoding}`, () => {
        const secret = generateSecret({ bytes, encoding });

        expect(secret).toHaveLength(expectedLengths[encoding][bytes]);
        expect(secret).toHaveLength(encodedLength(bytes, encoding));
        expect(secret).toMatch(alphabets[encoding]);
        const decoded = encoding === 'hex' ? fromHex(secret) : fromBase64(secret);
        expect(decoded).toHaveLength(bytes);
      });
    }
  }

  it('defaults to 32 bytes of base64url', () => {
    const secret = generateSecret();

    expect(secret).toHaveLength(43);
    expect(secret).toMatch(alphabets.base64url);
  });

  it('returns a different secret each call', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateSecret()));

    expect(secrets.size).toBe(1000);
  });

  it('rejects an unsupported size', () => {
    // @ts-expect-error: 16 bytes is below the HS256 minimum and not a SecretSize.
    expect(() => generateSecret({ bytes: 16 })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('rejects an unknown encoding', () => {
    // @ts-expect-error: base32 is not a SecretEncoding.
    expect(() => generateSecret({ encoding: 'base32' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});

describe('encodings', () => {
  it('match Node Buffer for every length from 0 to 70 bytes', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      const buffer = Buffer.from(bytes);

      expect(toHex(bytes)).toBe(buffer.toString('hex'));
      expect(toBase64(bytes)).toBe(buffer.toString('base64'));
      expect(toBase64Url(bytes)).toBe(buffer.toString('base64url'));
    }
  });

  it('decode what they encode', () => {
    const bytes = randomBytes(33);

    expect(fromHex(toHex(bytes))).toEqual(bytes);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(fromBase64(toBase64Url(bytes))).toEqual(bytes);
  });

  it('decoders reject text outside their alphabet', () => {
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
    expect(fromBase64('a')).toBeUndefined();
    expect(fromBase64('ab$d')).toBeUndefined();
  });
});
