// Byte encodings written without Buffer or node: modules, so the same code runs in the browser page.

/** The text encodings a generated secret can take. */
export type SecretEncoding = 'base64url' | 'hex' | 'base64';

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Encodes bytes as lowercase hexadecimal, two characters per byte. */
export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

/** Encodes bytes as padded base64 (RFC 4648 section 4). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const available = Math.min(3, bytes.length - i);
    for (let j = 0; j < 4; j++) {
      text += j <= available ? base64Alphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
    }
  }
  return text;
}

/** Encodes bytes as unpadded base64url (RFC 4648 section 5), the form JWTs use. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');
}

/** Encodes bytes in the named encoding. */
export function encodeBytes(bytes: Uint8Array, encoding: SecretEncoding): string {
  if (encoding === 'hex') return toHex(bytes);
  if (encoding === 'base64') return toBase64(bytes);
  return toBase64Url(bytes);
}

/** Decodes hexadecimal text; returns undefined when the text is not an even-length hex string. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * Decodes base64 or base64url text, padded or not. Returns undefined when the text uses
 * characters outside both alphabets or has an impossible length.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  const unpadded = text
    .replace(/={1,2}$/, '')
    .replaceAll('-', '+')
    .replaceAll('_', '/');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((unpadded.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of unpadded) {
    // Only the low 14 bits are ever read, so masking keeps the buffer a small integer.
    buffer = ((buffer << 6) | base64Alphabet.indexOf(char)) & 0x3fff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Counts the UTF-8 bytes of a string, which is what an HMAC key made from it contains. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
