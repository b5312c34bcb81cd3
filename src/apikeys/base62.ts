import { randomBytes } from 'node:crypto';

/** The base62 alphabet in ASCII order, so encoded numbers of one width sort like the numbers. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 248 = 4 × 62: bytes from 248 to 255 are rejected, so `byte % 62` hits every digit equally often.
const REJECT_FROM = 248;

/** Makes `length` random base62 characters from the CSPRNG, without modulo bias. */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    // Eight spare bytes make up for the rejected ones (1 byte in 32) in almost every draw.
    const bytes = randomBytes(length + 8);
    for (const byte of bytes) {
      if (byte < REJECT_FROM && text.length < length) {
        text += BASE62_ALPHABET[byte % 62];
      }
    }
  }
  return text;
}

/** Encodes a non-negative safe integer in base62, left-padded with `0` to `width` characters. */
export function encodeBase62(value: number, width: number): string {
  let text = '';
  let rest = value;
  while (rest > 0) {
    text = BASE62_ALPHABET[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0');
}

/**
 * Decodes the base62 digits of `text` from `start` to its end. The caller has checked that they
 * are base62 characters; the result is exact while it stays a safe integer (up to 8 digits).
 */
export function decodeBase62(text: string, start: number): number {
  let value = 0;
  for (let index = start; index < text.length; index++) {
    // ASCII order: 0-9 are 48-57, A-Z 65-90, a-z 97-122.
    const code = text.charCodeAt(index);
    let digit = code - 61;
    if (code <= 57) digit = code - 48;
    else if (code <= 90) digit = code - 55;
    value = value * 62 + digit;
  }
  return value;
}
