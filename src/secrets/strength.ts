import { characterClassesOf } from './alphabet.js';
import { fromBase64, fromHex, utf8Length } from './encoding.js';
import { type EntropyEstimate, estimateEntropy } from './estimate.js';
import type { PatternKind } from './patterns.js';
import {
  isKnownWeakSecret,
  normaliseSecret,
  placeholderMarkers,
  weakSecrets,
} from './weak-secrets.js';

/** HMAC keys must be at least the hash size: 32 bytes for HS256 (RFC 7518 section 3.2). */
export const minimumSecretBytes = 32;

/** Estimated entropy below this many bits is weak whatever the length. */
export const minimumEntropyBits = 128;

/**
 * Patterns make a secret weak when they cover at least this fraction of its characters. Short
 * keyboard walks and repeats turn up by chance in random text: among 40 000 generated 32-byte
 * secrets per encoding they covered up to 0.40, so a limit of 1/3 judged about one generated
 * secret in 20 000 weak. Secrets built from patterns or words score 0.70 and more.
 */
const patternCoverageLimit = 1 / 2;

export interface SecretStrength {
  /** Length of the secret in UTF-8 bytes, the size of the HMAC key made from it. */
  lengthBytes: number;
  /** Conservative entropy estimate in whole bits (see estimate.ts for the method). */
  estimatedEntropyBits: number;
  verdict: 'strong' | 'weak';
  /**
   * Reasons the secret is weak, as lowercase clauses that read well in a list or joined by
   * semicolons. Empty when strong. They never quote the secret.
   */
  reasons: string[];
}

const patternReasons: Record<PatternKind, string> = {
  repeat: 'it repeats a group of characters',
  sequence: 'it contains a run of consecutive characters, such as abcd or 1234',
  keyboard: 'it contains a keyboard walk, such as qwerty or asdf',
  dictionary: 'it is built from dictionary words',
};

/**
 * Checks an HMAC secret and returns its strength. It is weak when it is shorter than 32 bytes,
 * is a known default or sample, contains a placeholder, is mostly patterns or dictionary words,
 * or its estimated entropy is below 128 bits.
 */
export function checkSecretStrength(secret: string): SecretStrength {
  const lengthBytes = utf8Length(secret);
  const known = isKnownWeakSecret(secret);
  const decoded = decodedText(secret);
  const { estimate, text, fromDecoded } = lowerEstimate(secret, decoded);
  // A listed secret is guessed within the list, whatever its characters look like.
  const bits = known ? Math.min(estimate.bits, Math.log2(weakSecrets.length)) : estimate.bits;

  const reasons = [
    ...lengthReasons(lengthBytes),
    ...(known ? ['it is a well-known default or commonly used secret'] : []),
    ...(hasPlaceholder(secret, decoded) ? ['it contains a placeholder such as changeme'] : []),
    ...(fromDecoded && bits < minimumEntropyBits
      ? ['it is readable text encoded as hex or base64, not random bytes']
      : []),
    ...estimateReasons(text, estimate, bits),
  ];
  return {
    lengthBytes,
    estimatedEntropyBits: Math.floor(bits),
    verdict: reasons.length === 0 ? 'strong' : 'weak',
    reasons,
  };
}

function lengthReasons(lengthBytes: number): string[] {
  if (lengthBytes === 0) return ['it is empty'];
  if (lengthBytes >= minimumSecretBytes) return [];
  return [
    `it is ${lengthBytes} bytes long, but HS256 needs at least ${minimumSecretBytes} bytes ` +
      '(RFC 7518 section 3.2)',
  ];
}

function estimateReasons(secret: string, estimate: EntropyEstimate, bits: number): string[] {
  const reasons: string[] = [];
  if (estimate.patternCoverage >= patternCoverageLimit) {
    reasons.push(...estimate.patterns.map((kind) => patternReasons[kind]));
  }
  if (bits < minimumEntropyBits) {
    reasons.push(
      `its estimated entropy is ${Math.floor(bits)} bits, below the ${minimumEntropyBits}-bit minimum`,
    );
    const classes = characterClassesOf(secret);
    if (classes.length === 1) reasons.push(`it uses only ${classes[0]}`);
  }
  return reasons;
}

// Judges the decoded text instead of its encoding when that gives the lower estimate.
function lowerEstimate(secret: string, decoded: string | undefined) {
  const direct = estimateEntropy(secret);
  const ofText = decoded === undefined ? undefined : estimateEntropy(decoded);
  if (decoded !== undefined && ofText && ofText.bits < direct.bits) {
    return { estimate: ofText, text: decoded, fromDecoded: true };
  }
  return { estimate: direct, text: secret, fromDecoded: false };
}

function hasPlaceholder(secret: string, decoded: string | undefined): boolean {
  const texts = [secret, decoded ?? ''].map(normaliseSecret);
  return placeholderMarkers.some((marker) => texts.some((text) => text.includes(marker)));
}

/**
 * Returns the text a hex or base64 secret encodes when every decoded byte is printable ASCII.
 * Random bytes pass that test with probability (95/256)^n, below 1e-13 for 32 bytes, so a pass
 * means someone encoded a password and the text is what must be judged.
 */
export function decodedText(secret: string): string | undefined {
  if (secret.length < 8) return undefined;
  const bytes = fromHex(secret) ?? (/[g-zG-Z_+/=-]/.test(secret) ? fromBase64(secret) : undefined);
  if (!bytes || bytes.length < 6) return undefined;
  if (!bytes.every((byte) => byte >= 0x20 && byte <= 0x7e)) return undefined;
  return String.fromCharCode(...bytes);
}
