// Access tokens: the keyring, signing, strict verification and the JWKS.
export { type GeneratedSigningKey, generateSigningKey } from './generate.js';
export {
  type AccessTokenIssuer,
  type AccessTokenIssuerOptions,
  type AccessTokenRequest,
  createAccessTokenIssuer,
  type IssuedAccessToken,
} from './issuer.js';
export { createKeyring } from './keyring.js';
export type { TokenRejectionReason } from './reject.js';
export { type JwtSettings, keyringOptionsFromSettings } from './settings.js';
export type {
  AccessTokenClaims,
  AsymmetricAlgorithm,
  KeyInput,
  Keyring,
  KeyringOptions,
  PublicJwk,
  SigningAlgorithm,
  SigningKey,
  VerificationKey,
} from './types.js';
export {
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_TOKEN_BYTES,
} from './verifier.js';
