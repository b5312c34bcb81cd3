import { readFileSync } from 'node:fs';
import { KeywardError } from '../errors/index.js';
import { createKeyring } from './keyring.js';
import { parsePreviousSigningKeys } from './previous-signing-keys.js';
import type { AsymmetricAlgorithm, KeyInput, KeyringOptions, SigningAlgorithm } from './types.js';

/**
 * The signing settings as plain strings, one field per environment variable. The config
 * module reads the environment; an empty string counts as unset.
 */
export interface JwtSettings {
  /** KEYWARD_JWT_ALGORITHM: HS256 (default), EdDSA or ES256, the algorithm of the active key. */
  algorithm?: string;
  /** KEYWARD_JWT_SECRET: the HS256 secret that signs, at least 32 bytes of UTF-8. */
  secret?: string;
  /** KEYWARD_JWT_PREVIOUS_SECRETS: comma-separated older HS256 secrets that still verify. */
  previousSecrets?: string;
  /** KEYWARD_JWT_SIGNING_KEY: the EdDSA or ES256 private key, PKCS#8 PEM or JWK JSON text. */
  signingKey?: string;
  /** KEYWARD_JWT_SIGNING_KEY_FILE: path of a file containing the private key instead. */
  signingKeyFile?: string;
  /** KEYWARD_JWT_PREVIOUS_SIGNING_KEYS: older EdDSA or ES256 keys as JWKS JSON text. */
  previousSigningKeys?: string;
}

/** The environment variable behind each setting, named in error messages. */
const VARIABLES = {
  algorithm: 'KEYWARD_JWT_ALGORITHM',
  secret: 'KEYWARD_JWT_SECRET',
  previousSecrets: 'KEYWARD_JWT_PREVIOUS_SECRETS',
  signingKey: 'KEYWARD_JWT_SIGNING_KEY',
  signingKeyFile: 'KEYWARD_JWT_SIGNING_KEY_FILE',
  previousSigningKeys: 'KEYWARD_JWT_PREVIOUS_SIGNING_KEYS',
} as const satisfies Record<keyof JwtSettings, string>;

const ALGORITHMS: readonly SigningAlgorithm[] = ['HS256', 'EdDSA', 'ES256'];

/**
 * Turns the signing settings into keyring options and checks them by building a keyring once.
 * Reads KEYWARD_JWT_SIGNING_KEY_FILE when set. Raises KeywardError `validation_failed` with a
 * message that names the variable and the fix; messages never contain a secret or key.
 */
export function keyringOptionsFromSettings(settings: JwtSettings): KeyringOptions {
  const value = (name: keyof JwtSettings) => settings[name] || undefined;
  const alg = parseAlgorithm(value('algorithm'));
  const active = alg === 'HS256' ? secretSettings(value) : signingKeySettings(alg, value);

  const verifyOnly = [
    ...parsePreviousSecrets(value('previousSecrets')),
    ...parsePreviousSigningKeys(value('previousSigningKeys')),
  ];
  const options: KeyringOptions = { active, verifyOnly };
  createKeyring(options);
  return options;
}

function parseAlgorithm(value: string | undefined): SigningAlgorithm {
  const alg = value ?? 'HS256';
  if (!(ALGORITHMS as readonly string[]).includes(alg)) {
    invalid(`KEYWARD_JWT_ALGORITHM must be one of ${ALGORITHMS.join(', ')}; unset it for HS256.`);
  }
  return alg as SigningAlgorithm;
}

type Lookup = (name: keyof JwtSettings) => string | undefined;

function secretSettings(value: Lookup): KeyInput {
  for (const name of ['signingKey', 'signingKeyFile'] as const) {
    if (value(name)) {
      invalid(
        `${VARIABLES[name]} is set but KEYWARD_JWT_ALGORITHM is HS256; ` +
          `set the algorithm to EdDSA or ES256, or unset ${VARIABLES[name]}.`,
      );
    }
  }
  const secret = value('secret');
  if (secret === undefined) {
    invalid(
      'KEYWARD_JWT_SECRET is missing; set it to at least 32 random bytes, ' +
        'e.g. from `keyward secret generate`.',
    );
  }
  return { alg: 'HS256', secret, source: 'KEYWARD_JWT_SECRET' };
}

function signingKeySettings(alg: AsymmetricAlgorithm, value: Lookup): KeyInput {
  if (value('secret')) {
    invalid(
      `KEYWARD_JWT_SECRET is set but KEYWARD_JWT_ALGORITHM is ${alg}; move the secret to ` +
        'KEYWARD_JWT_PREVIOUS_SECRETS to keep verifying its tokens, or unset it.',
    );
  }
  const text = value('signingKey');
  const path = value('signingKeyFile');
  if (text !== undefined && path !== undefined) {
    invalid('KEYWARD_JWT_SIGNING_KEY and KEYWARD_JWT_SIGNING_KEY_FILE are both set; keep one.');
  }
  if (text !== undefined) return { alg, key: text, source: 'KEYWARD_JWT_SIGNING_KEY' };
  if (path !== undefined) {
    return { alg, key: readKeyFile(path), source: 'KEYWARD_JWT_SIGNING_KEY_FILE' };
  }
  return invalid(
    `KEYWARD_JWT_SIGNING_KEY is missing; create a key with \`keyward signing-key generate ` +
      `--alg ${alg} --env\`, or point KEYWARD_JWT_SIGNING_KEY_FILE at a key file.`,
  );
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    return invalid(
      `KEYWARD_JWT_SIGNING_KEY_FILE could not be read (${code}): ${path}; ` +
        'check the path and its permissions.',
    );
  }
}

function parsePreviousSecrets(list: string | undefined): KeyInput[] {
  const secrets = (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return secrets.map((secret, index) => ({
    alg: 'HS256',
    secret,
    source: `KEYWARD_JWT_PREVIOUS_SECRETS entry ${index + 1}`,
  }));
}

function invalid(message: string): never {
  throw new KeywardError('validation_failed', message);
}
