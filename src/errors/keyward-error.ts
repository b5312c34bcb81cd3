import type { ErrorCode } from './codes.js';

/** Typed details that may travel with an error. They never hold a secret. */
export interface ErrorDetails {
  /** Public explanation, safe to return to the client. */
  detail?: string;
  /** Validation failures as JSON pointers and messages. */
  errors?: { pointer: string; message: string }[];
  /** Milliseconds until a rate-limited request may be retried. */
  retryAfterMs?: number;
  /** Scope that the credential lacked, for `insufficient_scope`. */
  scope?: string;
  /** Response headers that go with the error, such as the RateLimit fields of a 429. */
  headers?: Record<string, string>;
  /** Internal reason, logged but never returned (for example which token check failed). */
  reason?: string;
  /** Ids of the records involved, such as a user and a session, logged but never returned. */
  ids?: Record<string, string>;
}

/**
 * The one error class of keyward. `code` selects the HTTP status and public title from the registry;
 * `details.reason` is for logs only.
 */
export class KeywardError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KeywardError';
    this.code = code;
    this.details = details;
  }
}

/** Tells whether a value is a KeywardError with the given code, or any code when none is given. */
export function isKeywardError(value: unknown, code?: ErrorCode): value is KeywardError {
  return value instanceof KeywardError && (code === undefined || value.code === code);
}
