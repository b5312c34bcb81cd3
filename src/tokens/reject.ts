import { KeywardError } from '../errors/index.js';

/**
 * Internal reasons for rejecting an access token. They go to `details.reason` for logs.
 * Clients see only the code `invalid_token`, so a probe cannot learn which check failed.
 */
export type TokenRejectionReason =
  | 'not_a_string'
  | 'token_too_large'
  | 'malformed_compact_serialization'
  | 'malformed_base64url'
  | 'malformed_utf8'
  | 'malformed_json'
  | 'not_a_json_object'
  | 'duplicate_member'
  | 'embedded_key'
  | 'crit_not_supported'
  | 'b64_not_supported'
  | 'nested_token'
  | 'header_parameter_not_allowed'
  | 'alg_missing'
  | 'alg_none'
  | 'alg_not_allowed'
  | 'typ_missing'
  | 'typ_not_allowed'
  | 'kid_missing'
  | 'kid_unknown'
  | 'alg_key_mismatch'
  | 'signature_invalid'
  | 'claim_missing'
  | 'claim_invalid'
  | 'time_claim_invalid'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'issuer_mismatch'
  | 'audience_mismatch';

/** Throws the one public error of token verification, with the internal reason for logs. */
export function rejectToken(reason: TokenRejectionReason): never {
  throw new KeywardError('invalid_token', 'access token rejected', { reason });
}
