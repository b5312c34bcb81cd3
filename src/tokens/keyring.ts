import { KeywardError } from '../errors/index.js';
import {
  importPrivateKey,
  importPublicKey,
  importSecret,
  jwkThumbprint,
  secretKid,
  toPublicJwk,
} from './key-material.js';
import { createSignatureVerifier, createSigner } from './signature.js';
import type {
  KeyInput,
  Keyring,
  KeyringOptions,
  KeyState,
  PublicJwk,
  SecretInput,
  SigningAlgorithm,
  SigningKey,
  VerificationKey,
} from './types.js';

const ALGORITHMS: readonly SigningAlgorithm[] = ['HS256', 'EdDSA', 'ES256'];

interface KeyEntry {
  key: VerificationKey;
  source: string;
  publicJwk?: PublicJwk;
}

/**
 * Creates an immutable keyring from one active key and older verify-only keys. Each key gets a
 * `kid`: a keyed digest for HMAC secrets, the RFC 7638 thumbprint for public keys.
 * Raises `validation_failed` for a short secret, an unreadable key, a key whose type does not
 * match its algorithm, or the same key given twice. Messages name the key's `source`.
 */
export function createKeyring(options: KeyringOptions): Keyring {
  const active = buildEntry(options?.active, 'active', 'keyring active key');
  const entries = [active];
  for (const [index, input] of (options?.verifyOnly ?? []).entries()) {
    entries.push(buildEntry(input, 'verifyOnly', `keyring verify-only key ${index + 1}`));
  }

  const byKid = new Map<string, VerificationKey>();
  for (const entry of entries) {
    const previous = entries.find((other) => other.key.kid === entry.key.kid);
    if (previous !== entry) {
      throw new KeywardError(
        'validation_failed',
        `${entry.source} is the same key as ${previous!.source}; remove one of them.`,
      );
    }
    byKid.set(entry.key.kid, entry.key);
  }

  const publicKeys = entries.flatMap((entry) => (entry.publicJwk ? [entry.publicJwk] : []));
  return Object.freeze({
    active: active.key as SigningKey,
    algorithms: Object.freeze([...new Set(entries.map((entry) => entry.key.alg))]),
    find: (kid: string) => byKid.get(kid),
    publicJwks: () => ({ keys: publicKeys.map((jwk) => ({ ...jwk })) }),
  });
}

function buildEntry(input: KeyInput, state: KeyState, fallbackSource: string): KeyEntry {
  const source = input?.source ?? fallbackSource;
  if (!ALGORITHMS.includes(input?.alg)) {
    throw new KeywardError(
      'validation_failed',
      `${source} has an unsupported algorithm; use one of ${ALGORITHMS.join(', ')}.`,
    );
  }
  return input.alg === 'HS256'
    ? buildSecretEntry(input.secret, state, source)
    : buildAsymmetricEntry(input, state, source);
}

function buildSecretEntry(secret: SecretInput, state: KeyState, source: string): KeyEntry {
  const keyObject = importSecret(secret, source);
  const base = {
    kid: secretKid(keyObject),
    alg: 'HS256' as const,
    state,
    verify: createSignatureVerifier('HS256', keyObject),
  };
  const key = state === 'active' ? { ...base, sign: createSigner('HS256', keyObject) } : base;
  return { key: Object.freeze(key), source };
}

function buildAsymmetricEntry(
  input: Extract<KeyInput, { key: unknown }>,
  state: KeyState,
  source: string,
): KeyEntry {
  const privateKey = state === 'active' ? importPrivateKey(input.key, input.alg, source) : null;
  const publicKey = importPublicKey(privateKey ?? input.key, input.alg, source);
  const kid = jwkThumbprint(publicKey);
  const base = {
    kid,
    alg: input.alg,
    state,
    verify: createSignatureVerifier(input.alg, publicKey),
  };
  const key = privateKey ? { ...base, sign: createSigner(input.alg, privateKey) } : base;

  return { key: Object.freeze(key), source, publicJwk: toPublicJwk(publicKey, kid, input.alg) };
}
