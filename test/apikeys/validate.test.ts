import { describe, expect, it } from 'vitest';
import { validateName } from '../../src/apikeys/validate.js';

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
