import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { KeywardError } from '../errors/index.js';

/**
 * A pepper: the server-side HMAC key that API key hashes are made with, and its version. The
 * version is stored beside each hash, so a database without the peppers cannot confirm a key.
 */
export interface Pepper {
  /** Positive integer, unique among the configured peppers. */
  version: number;
  secret: string;
}

/** The pepper new hashes use, and older ones that existing hashes may still be made with. */
export interface Peppers {
  current: Pepper;
  previous: Pepper[];
}

const CURRENT_VARIABLE = 'KEYWARD_API_KEY_PEPPER';
const PREVIOUS_VARIABLE = 'KEYWARD_API_KEY_PREVIOUS_PEPPERS';
const VERSIONED = /^(\d{1,9}):(\S+)$/;

/**
 * Parses `KEYWARD_API_KEY_PEPPER` (`VERSION:SECRET`, or a bare secret meaning version 1) and
 * `KEYWARD_API_KEY_PREVIOUS_PEPPERS` (`VERSION:SECRET` entries separated by commas or spaces).
 * Raises `validation_failed` naming the variable. The message never contains a secret.
 */
export function peppersFromSettings(
  currentText: string | undefined,
  previousText?: string,
): Peppers {
  const text = currentText?.trim() ?? '';
  if (text === '') {
    throw invalid(CURRENT_VARIABLE, 'is not set: make one with `keyward secret generate`');
  }
  const current = VERSIONED.test(text)
    ? parseVersioned(text, CURRENT_VARIABLE)
    : { version: 1, secret: text };

  const entries = (previousText ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  const previous = entries.map((entry, index) =>
    parseVersioned(entry, `${PREVIOUS_VARIABLE} entry ${index + 1}`),
  );
  checkUniqueVersions([current, ...previous]);
  return { current, previous };
}

function parseVersioned(entry: string, source: string): Pepper {
  const match = VERSIONED.exec(entry);
  const version = Number(match?.[1]);
  if (!match || version < 1) {
    throw invalid(source, 'must have the form VERSION:SECRET with a version of 1 or more');
  }
  return { version, secret: match[2]! };
}

function checkUniqueVersions(peppers: Pepper[]): void {
  const seen = new Set<number>();
  for (const { version } of peppers) {
    if (seen.has(version)) {
      throw invalid(
        PREVIOUS_VARIABLE,
        `repeats pepper version ${version}: give each a new version`,
      );
    }
    seen.add(version);
  }
}

function invalid(source: string, problem: string): KeywardError {
  const message = `${source} ${problem}`;
  return new KeywardError('validation_failed', message, { detail: message });
}

/** The hash of one key under one pepper version. */
export interface VersionedHash {
  version: number;
  hash: string;
}

/** Hasher of keys under the configured peppers, built once because importing a key costs time. */
export interface KeyHasher {
  readonly currentVersion: number;
  /** HMAC-SHA256 under the current pepper, base64url (43 characters). */
  hash(plaintextKey: string): string;
  /** Hashes under every pepper, the current one first: the candidates for a lookup. */
  hashAll(plaintextKey: string): VersionedHash[];
}

/** Builds a KeyHasher for `peppers`. */
export function createKeyHasher(peppers: Peppers): KeyHasher {
  const keys = [peppers.current, ...peppers.previous].map((pepper) => ({
    version: pepper.version,
    key: createSecretKey(Buffer.from(pepper.secret, 'utf8')),
  }));
  const currentKey = keys[0]!.key;
  return {
    currentVersion: peppers.current.version,
    hash: (plaintextKey) => hmac(currentKey, plaintextKey),
    hashAll: (plaintextKey) =>
      keys.map(({ version, key }) => ({ version, hash: hmac(key, plaintextKey) })),
  };
}

function hmac(key: KeyObject, plaintextKey: string): string {
  return createHmac('sha256', key).update(plaintextKey, 'utf8').digest('base64url');
}
