import { describe, expect, it } from 'vitest';
import {
  checkSecretStrength,
  generateSecret,
  secretEncodings,
  secretSizes,
  weakSecrets,
} from '../../src/secrets/index.js';

function reasonsOf(secret: string): string {
  return checkSecretStrength(secret).reasons.join(' | ');
}

describe('checkSecretStrength on random secrets', () => {
  for (const encoding of secretEncodings) {
    for (const bytes of secretSizes) {
      it(`judges 300 random ${bytes}-byte ${encoding} secrets strong`, () => {
        for (let i = 0; i < 300; i++) {
          const strength = checkSecretStrength(generateSecret({ bytes, encoding }));

          expect(strength.reasons).toEqual([]);
          expect(strength.verdict).toBe('strong');
          expect(strength.estimatedEntropyBits).toBeGreaterThanOrEqual(128);
        }
      });
    }
  }

  it('reports base64url length and entropy', () => {
    const strength = checkSecretStrength(generateSecret({ bytes: 32, encoding: 'base64url' }));

    expect(strength.lengthBytes).toBe(43);
    expect(strength.estimatedEntropyBits).toBeGreaterThan(200);
    expect(strength.estimatedEntropyBits).toBeLessThanOrEqual(256);
  });

  it('credits hex at most 4 bits per character', () => {
    const strength = checkSecretStrength(generateSecret({ bytes: 32, encoding: 'hex' }));

    expect(strength.lengthBytes).toBe(64);
    expect(strength.estimatedEntropyBits).toBeLessThanOrEqual(256);
  });

  it('accepts a long random password with symbols', () => {
    expect(checkSecretStrength('xK9#mQ2$vL7@nP4&wR8*tY3^bN6!cF1%hJ5(zD0)').verdict).toBe('strong');
  });
});

describe('checkSecretStrength on weak secrets', () => {
  it('rejects every entry of the built-in list', () => {
    for (const secret of weakSecrets) {
      expect(checkSecretStrength(secret).verdict, secret).toBe('weak');
    }
  });

  it('matches listed secrets ignoring case', () => {
    for (const secret of [
      'JWT-SECRET',
      'Your_256_Bit_Secret',
      ' keyboard cat \n',
      'SUPER.SECRET',
    ]) {
      expect(reasonsOf(secret)).toContain('well-known default');
    }
  });

  it('rejects a long listed default', () => {
    const strength = checkSecretStrength('super-secret-jwt-token-with-at-least-32-characters-long');

    expect(strength.verdict).toBe('weak');
    expect(strength.lengthBytes).toBeGreaterThan(32);
    expect(strength.estimatedEntropyBits).toBeLessThan(16);
  });

  it('rejects a secret shorter than 32 bytes', () => {
    const strength = checkSecretStrength(generateSecret().slice(0, 31));

    expect(strength.verdict).toBe('weak');
    expect(strength.reasons[0]).toBe(
      'it is 31 bytes long, but HS256 needs at least 32 bytes (RFC 7518 section 3.2)',
    );
  });

  it('counts length in UTF-8 bytes', () => {
    expect(checkSecretStrength('é'.repeat(20)).lengthBytes).toBe(40);
  });

  it('rejects an empty secret', () => {
    expect(checkSecretStrength('').reasons).toContain('it is empty');
  });

  it('rejects a single repeated character', () => {
    const strength = checkSecretStrength('a'.repeat(64));

    expect(strength.verdict).toBe('weak');
    expect(strength.estimatedEntropyBits).toBeLessThan(10);
    expect(strength.reasons).toContain('it uses only lowercase');
  });

  it('rejects repeated groups', () => {
    for (const secret of [
      'abc'.repeat(20),
      'password'.repeat(6),
      'Xy7!'.repeat(12),
      `${generateSecret().slice(0, 20)}`.repeat(3),
    ]) {
      expect(reasonsOf(secret), secret).toContain('repeats a group of characters');
      expect(checkSecretStrength(secret).verdict).toBe('weak');
    }
  });

  it('rejects sequences', () => {
    const strength = checkSecretStrength('abcdefghijklmnopqrstuvwxyz0123456789');

    expect(strength.verdict).toBe('weak');
    expect(strength.reasons.join(' ')).toContain('consecutive characters');
  });

  it('accepts random secrets with chance patterns', () => {
    // Generated secrets in which short keyboard walks and repeats cover 0.35 to 0.37.
    for (const secret of [
      'f9idsXDwi4rfVCnwN4K5IaFrXinjvHe27AWsQSxTefA=',
      'PfBHjHPZPZFWPd+RdfghULcGf5G2M+PPvG4DBS5T+NI=',
      'J2AasWlysAQW0Swas+GD5OlkOOz85gmbHGNToTASZv8=',
    ]) {
      expect(checkSecretStrength(secret).verdict, secret).toBe('strong');
    }
  });

  it('rejects keyboard walks', () => {
    const strength = checkSecretStrength('qwertyuiopasdfghjkl;zxcvbnm,./1qaz2wsx');

    expect(strength.verdict).toBe('weak');
    expect(strength.reasons.join(' ')).toContain('keyboard walk');
  });

  it('rejects passphrases of dictionary words', () => {
    for (const secret of [
      'correct horse battery staple and more words',
      'MySuperSecretPasswordForProduction!',
      'p4ssw0rd-s3cr3t-t0k3n-k3y-m4st3r-4dm1n',
    ]) {
      expect(reasonsOf(secret), secret).toContain('dictionary words');
      expect(checkSecretStrength(secret).verdict).toBe('weak');
    }
  });

  it('rejects placeholders amid random text', () => {
    const strength = checkSecretStrength(`changeme-${generateSecret()}`);

    expect(strength.verdict).toBe('weak');
    expect(strength.reasons).toContain('it contains a placeholder such as changeme');
  });

  it('judges hex-encoded text by the text', () => {
    const encoded = Buffer.from('my-secret-key-for-dev-only-12345').toString('hex');
    const strength = checkSecretStrength(encoded);

    expect(strength.verdict).toBe('weak');
    expect(strength.reasons).toContain(
      'it is readable text encoded as hex or base64, not random bytes',
    );
  });

  it('judges base64-encoded text by the text', () => {
    const encoded = Buffer.from('password password password password').toString('base64');

    expect(checkSecretStrength(encoded).verdict).toBe('weak');
  });

  it('never quotes the secret in its reasons', () => {
    for (const secret of [
      'hunter2hunter2hunter2hunter2hunter2',
      'your-256-bit-secret',
      'abcdefghijklmnopqrstuvwxyz',
    ]) {
      expect(reasonsOf(secret)).not.toContain(secret);
      expect(reasonsOf(secret)).not.toContain('hunter');
    }
  });

  it('handles 100 000 characters quickly', () => {
    const started = performance.now();
    const strength = checkSecretStrength('ab'.repeat(50_000));

    expect(performance.now() - started).toBeLessThan(2000);
    expect(strength.verdict).toBe('weak');
  });
});
