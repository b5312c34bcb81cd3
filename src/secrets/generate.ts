import { KeywardError } from '../errors/index.js';
import { encodeBytes, type SecretEncoding } from './encoding.js';

/** Secret sizes in bytes: the output sizes of SHA-256, SHA-384 and SHA-512 (RFC 7518 section 3.2). */
export const secretSizes = [32, 48, 64] as const;
export type SecretSize = (typeof secretSizes)[number];

export const secretEncodings = ['base64url', 'hex', 'base64'] as const;

export interface GenerateSecretOptions {
  /** Random bytes before encoding; default 32 (256 bits, enough for HS256). */
  bytes?: SecretSize;
  /** Text encoding of the bytes; default base64url. */
  encoding?: SecretEncoding;
}

/**
 * Generates a random secret from the platform CSPRNG (`crypto.getRandomValues`, in Node and in
 * browsers) and returns it encoded. Raises `validation_failed` for a size or encoding not listed
 * in `secretSizes` and `secretEncodings`.
 */
export function generateSecret(options: GenerateSecretOptions = {}): string {
  const bytes = options.bytes ?? 32;
  const encoding = options.encoding ?? 'base64url';
  if (!secretSizes.includes(bytes)) {
    throw new KeywardError('validation_failed', `Secret size ${bytes} is not one of 32, 48, 64.`);
  }
  if (!secretEncodings.includes(encoding)) {
    throw new KeywardError(
      'validation_failed',
      `Encoding ${encoding} is not base64url, hex or base64.`,
    );
  }

  return encodeBytes(randomBytes(bytes), encoding);
}

/** Returns `count` bytes from the platform CSPRNG. */
export function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** Returns the encoded length in characters of a secret of `bytes` bytes. */
export function encodedLength(bytes: number, encoding: SecretEncoding): number {
  if (encoding === 'hex') return bytes * 2;
  if (encoding === 'base64') return Math.ceil(bytes / 3) * 4;
  return Math.ceil((bytes * 4) / 3);
}
