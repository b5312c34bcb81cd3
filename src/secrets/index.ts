// Secret generation and strength checks. Everything here runs in Node and in browsers, so it
// uses globalThis.crypto and no node: modules.

export { encodeBytes, type SecretEncoding, utf8Length } from './encoding.js';
export { type EntropyEstimate, estimateEntropy, maxAnalysedLength } from './estimate.js';
export {
  encodedLength,
  type GenerateSecretOptions,
  generateSecret,
  randomBytes,
  type SecretSize,
  secretEncodings,
  secretSizes,
} from './generate.js';
export {
  buildRotation,
  formatRotationEnv,
  parsePreviousSecrets,
  parseSecretInput,
  rotateSecret,
  type SecretRotation,
} from './rotation.js';
export {
  checkSecretStrength,
  minimumEntropyBits,
  minimumSecretBytes,
  type SecretStrength,
} from './strength.js';
export { isKnownWeakSecret, weakSecrets } from './weak-secrets.js';
