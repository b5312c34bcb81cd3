import { crc32 } from 'node:zlib';
import { KeywardError } from '../errors/index.js';
import { decodeBase62, encodeBase62, randomBase62 } from './base62.js';

/**
 * API key format: `kw_<environment>_<body><checksum>`, 36 characters for `live` and `test`.
 * The body is 22 random base62 characters
 * (62^22 ≈ 2^131, so at least 128 bits). The checksum is the CRC32 of prefix and body in
 * base62, 6 characters, zero-padded. CRC32 detects every error confined to 32 adjacent bits, so
 * any single wrong character and any swap of two neighbours fails the check.
 */
export const KEY_BODY_LENGTH = 22;
export const KEY_CHECKSUM_LENGTH = 6;
/** Characters of the body shown after the prefix in `start`. */
export const KEY_START_LENGTH = 4;

const ENVIRONMENT = /^[a-z][a-z0-9]{0,15}$/;
// Without capture groups, so a test allocates no match: the parts sit at fixed offsets from the end.
const KEY = /^kw_[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{28}$/;
/** Length of the longest key: `kw_`, a 16-character environment, `_`, body and checksum. */
export const MAX_API_KEY_LENGTH = 3 + 16 + 1 + KEY_BODY_LENGTH + KEY_CHECKSUM_LENGTH;

/**
 * Pattern for secret scanners: finds keyward API keys of any environment inside text. Not
 * anchored, and without the `g` flag, so sharing it keeps no `lastIndex` state between callers.
 */
// Letters and digits, not \b, bound the key: `_` is a word character, so \b missed keys written
// as `token_kw_live_…` or `kw_live_…_old`.
export const API_KEY_PATTERN =
  /(?<![0-9A-Za-z])kw_[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{28}(?![0-9A-Za-z])/;

/** A key that passed the offline checks. `prefix` includes the trailing underscore. */
export interface ParsedApiKey {
  plaintextKey: string;
  environment: string;
  prefix: string;
  start: string;
}

/** A new key as made by `generateApiKey`. */
export interface GeneratedApiKey extends ParsedApiKey {}

/** Raises `validation_failed` unless the environment name is 1-16 lowercase letters or digits. */
export function validateEnvironment(environment: string): void {
  if (!ENVIRONMENT.test(environment)) {
    throw new KeywardError('validation_failed', 'invalid API key environment name', {
      detail:
        'The environment must be 1 to 16 lowercase letters or digits, starting with a letter.',
    });
  }
}

/** Makes a new random key for `environment` (for example `live` or `test`). */
export function generateApiKey(environment: string): GeneratedApiKey {
  validateEnvironment(environment);
  const prefix = `kw_${environment}_`;
  const body = randomBase62(KEY_BODY_LENGTH);
  const plaintextKey = prefix + body + checksumOf(prefix + body);
  return { plaintextKey, environment, prefix, start: prefix + body.slice(0, KEY_START_LENGTH) };
}

/**
 * Checks prefix, characters, lengths and checksum without any I/O. Returns undefined for text
 * that cannot be a keyward key, so callers reject typos and random strings before a lookup.
 */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  if (text.length > MAX_API_KEY_LENGTH || !KEY.test(text)) {
    return undefined;
  }
  const checksumStart = text.length - KEY_CHECKSUM_LENGTH;
  // Comparing numbers spares building the checksum's text on every verification.
  if (crc32(text.slice(0, checksumStart)) !== decodeBase62(text, checksumStart)) {
    return undefined;
  }
  const bodyStart = checksumStart - KEY_BODY_LENGTH;
  return {
    plaintextKey: text,
    environment: text.slice('kw_'.length, bodyStart - 1),
    prefix: text.slice(0, bodyStart),
    start: text.slice(0, bodyStart + KEY_START_LENGTH),
  };
}

function checksumOf(text: string): string {
  return encodeBase62(crc32(text), KEY_CHECKSUM_LENGTH);
}

/**
 * Tells whether a bearer value is meant as an API key rather than a JWT, by its `kw_` prefix
 * alone. A malformed key still counts, so it is rejected as a bad key instead of a bad token.
 */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('kw_');
}
