import { describe, expect, it } from 'vitest';
import { extractCredential } from '../../src/auth/credentials.js';
import { KeywardError } from '../../src/errors/index.js';

/** Returns the `reason` of the error that extractCredential raises, or 'none'. */
function reasonOf(authorization: string | undefined, apiKey?: string | string[]): string {
  try {
    extractCredential(authorization, apiKey);
    return 'none';
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error;
    return String(error.details.reason);
  }
}

describe('extractCredential', () => {
  it('takes a bearer token in its accepted spellings', () => {
    const cases: [string, string][] = [
      ['Bearer abc.def-ghi_jkl~m+n/o', 'abc.def-ghi_jkl~m+n/o'],
      ['bearer abc', 'abc'],
      ['BEARER   abc==', 'abc=='],
      ['Bearer abc  ', 'abc'],
      [`Bearer ${'a'.repeat(8192)}`, 'a'.repeat(8192)],
    ];
    for (const [header, token] of cases) {
      expect(extractCredential(header, undefined), header).toEqual({
        kind: 'bearer',
        value: token,
      });
    }
  });

  it('takes an X-API-Key header, trimmed', () => {
    expect(extractCredential(undefined, ' kw_live_abc ')).toEqual({
      kind: 'api_key',
      value: 'kw_live_abc',
    });
  });

  it('trims only spaces and tabs around a credential', () => {
    expect(extractCredential(undefined, '\t kw_live_abc \t')).toEqual({
      kind: 'api_key',
      value: 'kw_live_abc',
    });
    for (const space of ['\u00a0', '\u2003', '\ufeff']) {
      expect(() => extractCredential(undefined, `kw_live_abc${space}`), space).toThrow(
        'malformed credentials',
      );
      expect(() => extractCredential(`Bearer abc${space}`, undefined), space).toThrow(
        'malformed credentials',
      );
    }
  });

  it('returns undefined without either header', () => {
    expect(extractCredential(undefined, undefined)).toBeUndefined();
  });

  it('rejects malformed headers with the rule they break', () => {
    const shape = 'Authorization is not of the form "Bearer <token>"';
    const characters = 'the credential has invalid characters or length';
    expect(reasonOf('Basic abc')).toBe(shape);
    expect(reasonOf('Bearer')).toBe(shape);
    expect(reasonOf('Bearer a b')).toBe(shape);
    expect(reasonOf('Bearer abc"def')).toBe(characters);
    expect(reasonOf('Bearer ab=c')).toBe(characters);
    expect(reasonOf(`Bearer ${'a'.repeat(8193)}`)).toBe(characters);
    expect(reasonOf(undefined, 'kw live')).toBe(characters);
    expect(reasonOf(undefined, ['a', 'b'])).toBe('more than one X-API-Key header');
    expect(reasonOf('Bearer abc', 'kw_live_abc')).toBe(
      'both Authorization and X-API-Key are present',
    );
  });
});
