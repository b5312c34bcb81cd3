import type { JsonWebKey, KeyObject } from 'node:crypto';

/** JWS algorithms that keyward signs and verifies with (RFC 7518 3.2 and 3.4, RFC 8037). */
export type SigningAlgorithm = 'HS256' | 'EdDSA' | 'ES256';

/** Asymmetric algorithms, whose public keys are published in the JWKS. */
export type AsymmetricAlgorithm = Exclude<SigningAlgorithm, 'HS256'>;

/** Role of a key in the keyring: the active key signs, verify-only keys only verify. */
export type KeyState = 'active' | 'verifyOnly';

/**
 * A PEM text (PKCS#8 private key or SPKI public key), JWK JSON text, a JWK, or a KeyObject.
 * The key type must match the algorithm: Ed25519 for EdDSA, P-256 for ES256.
 */
export type AsymmetricKeyInput = string | JsonWebKey | PublicJwk | KeyObject;

/**
 * An HMAC secret: a string is used as its UTF-8 bytes. It must be at least 32 bytes long
 * (RFC 7518 section 3.2 requires a key at least as long as the hash output).
 */
export type SecretInput = string | Uint8Array;

/** A key entry for the keyring. `source` names where it came from in error messages. */
export type KeyInput =
  | { alg: 'HS256'; secret: SecretInput; source?: string }
  | { alg: AsymmetricAlgorithm; key: AsymmetricKeyInput; source?: string };

/** Options of `createKeyring`: one active key that signs and older keys that only verify. */
export interface KeyringOptions {
  /** The key that signs new tokens; for EdDSA and ES256 it must be a private key. */
  active: KeyInput;
  /** Keys from earlier rotations, kept until every token they signed has expired. */
  verifyOnly?: readonly KeyInput[];
}

/** A public key as published at `/.well-known/jwks.json` (RFC 7517). */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid: string;
  alg: AsymmetricAlgorithm;
  use: 'sig';
}

/** A key that verifies signatures, selected by the `kid` header parameter. */
export interface VerificationKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly state: KeyState;
  /** Checks `signature` over the ASCII `signingInput`; never throws. */
  verify(signingInput: string, signature: Buffer): boolean;
}

/** The active key, which also signs. */
export interface SigningKey extends VerificationKey {
  /** Signs the ASCII `signingInput` and returns the base64url signature. */
  sign(signingInput: string): string;
}

/**
 * An immutable set of keys. Secrets and private keys are held in closures, so neither
 * `JSON.stringify` nor `util.inspect` of a keyring shows them.
 */
export interface Keyring {
  readonly active: SigningKey;
  /** Algorithms of all keys; a token's `alg` must be one of them and match its key. */
  readonly algorithms: readonly SigningAlgorithm[];
  /** Returns the active or verify-only key with this `kid`, or undefined. */
  find(kid: string): VerificationKey | undefined;
  /** Returns the public halves of the asymmetric keys; `keys` is empty with HMAC secrets only. */
  publicJwks(): { keys: PublicJwk[] };
}

/** The claims of a verified access token (RFC 9068 section 2.2). Other claims are dropped. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  /** A string in tokens keyward issues; other issuers may send an array (RFC 7519 4.1.3). */
  aud: string | string[];
  /** Seconds since the Unix epoch, as are `exp` and `nbf`. */
  iat: number;
  exp: number;
  nbf?: number;
  jti: string;
  /** Space-separated scope tokens (RFC 6749 section 3.3); empty when the token has none. */
  scope: string;
  /** Id of the session (refresh-token family) the token was issued in, so revoking it can stop the token. */
  sid?: string;
}
