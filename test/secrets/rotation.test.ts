import { describe, expect, it } from 'vitest';
import {
  buildRotation,
  formatRotationEnv,
  generateSecret,
  parsePreviousSecrets,
  parseSecretInput,
  rotateSecret,
} from '../../src/secrets/index.js';

describe('rotateSecret', () => {
  it('moves the current secret to the front of the previous ones', () => {
    const current = generateSecret();
    const older = generateSecret();
    const rotation = rotateSecret(current, [older], { bytes: 48, encoding: 'hex' });

    expect(rotation.secret).toMatch(/^[0-9a-f]{96}$/);
    expect(rotation.previousSecrets).toEqual([current, older]);
  });

  it('rejects a missing current secret', () => {
    expect(() => rotateSecret('', [])).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('rejects a secret containing a comma', () => {
    expect(() => buildRotation(generateSecret(), 'a,b', [])).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});

describe('rotation helpers', () => {
  it('formats the two .env lines', () => {
    const text = formatRotationEnv({ secret: 'next', previousSecrets: ['current', 'older'] });

    expect(text).toBe('KEYWARD_JWT_SECRET=next\nKEYWARD_JWT_PREVIOUS_SECRETS=current,older\n');
  });

  it('splits previous secrets and drops blanks', () => {
    expect(parsePreviousSecrets(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parsePreviousSecrets(undefined)).toEqual([]);
  });
});

describe('parseSecretInput', () => {
  it('reads a bare value and trims it', () => {
    expect(parseSecretInput('  value \n')).toBe('value');
  });

  it('reads the value of a .env line', () => {
    expect(parseSecretInput('KEYWARD_JWT_SECRET=abc')).toBe('abc');
    expect(parseSecretInput('export KEYWARD_JWT_SECRET="a b c"')).toBe('a b c');
    expect(parseSecretInput("JWT_SECRET='xyz'\n")).toBe('xyz');
  });

  it('keeps base64 padding', () => {
    expect(parseSecretInput('YWJjZA==')).toBe('YWJjZA==');
    expect(parseSecretInput('ABCD1234=')).toBe('ABCD1234=');
  });
});
