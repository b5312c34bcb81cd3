/**
 * Decodes unpadded base64url (RFC 7515 section 2) and returns undefined unless `segment` is
 * the one canonical encoding of the bytes.
 *
 * Node's decoder is lenient: it skips whitespace and unknown characters, accepts `=` padding
 * and the `+` and `/` of plain base64, drops non-zero trailing bits and ignores a lone last
 * character (length ≡ 1 mod 4). Re-encoding the bytes and comparing with the input rejects
 * all of these in one native call, so one token has exactly one accepted spelling.
 */
export function decodeBase64url(segment: string): Buffer | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

/** Encodes bytes, or a string as UTF-8, as unpadded base64url. */
export function encodeBase64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}
