import { KeywardError } from '../errors/index.js';

/** A credential taken from request headers, not yet checked. */
export type Credential = { kind: 'bearer'; value: string } | { kind: 'api_key'; value: string };

// RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;
// A well-formed bearer header in one pass, which is the common case on every request. Only
// spaces and tabs may follow the token: they are HTTP's optional whitespace (RFC 9110 section
// 5.6.3), and `\s` would also let through characters such as U+00A0.
const bearerB64token = /^Bearer +([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
const bearerAnyToken = /^Bearer +(\S+)[ \t]*$/i;
const maxCredentialLength = 8192;

/**
 * Takes the credential from `Authorization: Bearer …` or `X-API-Key`. Returns undefined when
 * neither header is present. Raises `invalid_request` for a malformed header, or when both
 * headers are present, since a server that picks one would let the other go unchecked.
 */
export function extractCredential(
  authorization: string | undefined,
  apiKeyHeader: string | string[] | undefined,
): Credential | undefined {
  if (Array.isArray(apiKeyHeader)) {
    throw malformed('more than one X-API-Key header');
  }
  if (authorization !== undefined && apiKeyHeader !== undefined) {
    throw malformed('both Authorization and X-API-Key are present');
  }
  if (apiKeyHeader !== undefined) {
    return { kind: 'api_key', value: checkToken(trimOptionalWhitespace(apiKeyHeader)) };
  }
  if (authorization === undefined) {
    return undefined;
  }
  const token = bearerB64token.exec(authorization)?.[1];
  if (token !== undefined && token.length <= maxCredentialLength) {
    return { kind: 'bearer', value: token };
  }
  const match = bearerAnyToken.exec(authorization);
  if (!match) {
    throw malformed('Authorization is not of the form "Bearer <token>"');
  }
  return { kind: 'bearer', value: checkToken(match[1]!) };
}

/** Removes leading and trailing spaces and tabs, and nothing else, unlike `String.trim`. */
function trimOptionalWhitespace(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  // Node's parser strips these already, so the regex runs only on values from other callers.
  if (first !== 32 && first !== 9 && last !== 32 && last !== 9) return value;
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

function checkToken(value: string): string {
  if (value.length === 0 || value.length > maxCredentialLength || !b64token.test(value)) {
    throw malformed('the credential has invalid characters or length');
  }
  return value;
}

function malformed(reason: string): KeywardError {
  return new KeywardError('invalid_request', 'malformed credentials', { detail: reason, reason });
}
