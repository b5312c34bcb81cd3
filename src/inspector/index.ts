// The JWT inspector: decode, audit and verify tokens. Everything here runs in Node and in
// browsers, with WebCrypto and jose.

export { type AuditOptions, auditDecodedJwt, auditJwt, hasSeriousFinding } from './audit.js';
export { maxReasonableLifetimeSeconds } from './claim-findings.js';
export { type DecodedJwt, decodeJwt, type JwtHeader, maxTokenLength } from './decode.js';
export type { Finding, FindingSeverity } from './findings.js';
export { describeDuration, describeRelative, formatNumericDate } from './time.js';
export {
  parsePublicKeyText,
  type SignatureVerification,
  type VerificationKey,
  verifyJwtSignature,
} from './verify.js';
export { isSignedWithWeakSecret } from './weak-hmac.js';
