/**
 * The registry of error codes: each code's HTTP status and the public title that clients see.
 * docs/errors.md lists the same codes, and a test keeps the two in step.
 */
export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_request: { status: 400, title: 'The credentials in the request are malformed' },
  missing_credentials: { status: 401, title: 'Authentication is required' },
  invalid_token: { status: 401, title: 'The access token is not valid' },
  invalid_api_key: { status: 401, title: 'The API key is not valid' },
  invalid_credentials: { status: 401, title: 'The email or password is wrong' },
  invalid_refresh_token: { status: 401, title: 'The refresh token is not valid' },
  insufficient_scope: { status: 403, title: 'The credential lacks a required scope' },
  not_found: { status: 404, title: 'Not found' },
  request_timeout: { status: 408, title: 'The request was not received in time' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be JSON' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  rate_limited: { status: 429, title: 'Too many requests' },
  usage_exceeded: { status: 429, title: 'The API key has no usage credits left' },
  login_throttled: { status: 429, title: 'Too many failed logins' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'A backing service is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** Returns the HTTP status for a code. */
export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
