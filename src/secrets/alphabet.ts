// Detection of the alphabet a secret is written in, which bounds the entropy per character.

/** The alphabet a secret appears to be drawn from, with its size in symbols. */
export interface SecretAlphabet {
  /** `hex`, `base64url` and `base64` mean the secret looks like encoded random bytes. */
  name: 'hex' | 'base64url' | 'base64' | 'text';
  /** Symbols in the alphabet; log2 of it is the most entropy one character can carry. */
  size: number;
}

/** Character classes and the number of symbols each one adds to the alphabet. */
const characterClasses = [
  { name: 'lowercase', pattern: /[a-z]/, size: 26 },
  { name: 'uppercase', pattern: /[A-Z]/, size: 26 },
  { name: 'digits', pattern: /[0-9]/, size: 10 },
  { name: 'symbols', pattern: /[ -/:-@[-`{-~]/, size: 33 },
  // Outside ASCII the alphabet is open-ended, so 100 symbols is a generous allowance, not a count.
  { name: 'other', pattern: /[^ -~]/, size: 100 },
] as const;

/** Names the character classes (lowercase, uppercase, digits, symbols, other) a secret uses. */
export function characterClassesOf(secret: string): string[] {
  return characterClasses.filter((c) => c.pattern.test(secret)).map((c) => c.name);
}

/**
 * Detects the alphabet of a secret. Hex needs one letter case and both digits and letters.
 * Base64 and base64url need lowercase, uppercase and digits. Encoded random bytes of 16 bytes
 * or more meet these conditions except with negligible probability, while words and
 * sequences in those alphabets usually do not, and fall back to `text`.
 */
export function detectAlphabet(secret: string): SecretAlphabet {
  const hasLetter = /[a-zA-Z]/.test(secret);
  const hasDigit = /[0-9]/.test(secret);
  const hasAllAlphanumericClasses = /[a-z]/.test(secret) && /[A-Z]/.test(secret) && hasDigit;

  if (/^([0-9a-f]+|[0-9A-F]+)$/.test(secret) && hasLetter && hasDigit) {
    return { name: 'hex', size: 16 };
  }
  if (/^[A-Za-z0-9_-]+$/.test(secret) && hasAllAlphanumericClasses) {
    return { name: 'base64url', size: 64 };
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(secret) && hasAllAlphanumericClasses) {
    return { name: 'base64', size: 64 };
  }

  const size = characterClasses.reduce((sum, c) => sum + (c.pattern.test(secret) ? c.size : 0), 0);
  return { name: 'text', size: Math.max(size, 1) };
}

/**
 * Computes the Shannon entropy in bits per character of the secret's own character frequencies.
 * For a short random string this underestimates the source's entropy, which keeps the estimate
 * on the conservative side.
 */
export function shannonBitsPerCharacter(secret: string): number {
  const characters = [...secret];
  const counts = new Map<string, number>();
  for (const c of characters) counts.set(c, (counts.get(c) ?? 0) + 1);

  let bits = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Returns the bits one character is credited with: the alphabet's log2 size for encoded random
 * bytes, otherwise the Shannon entropy of the secret's characters capped by that log2 size.
 */
export function bitsPerCharacter(secret: string, alphabet: SecretAlphabet): number {
  const alphabetBits = Math.log2(alphabet.size);
  if (alphabet.name !== 'text') return alphabetBits;
  return Math.min(shannonBitsPerCharacter(secret), alphabetBits);
}
