import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isBackendUnavailable } from '../distributed/backend-errors.js';
import { KeywardError } from '../errors/index.js';
import { redactUrl } from './logger.js';
import { sendProblem } from './problem.js';
import { describeValidationIssues, maxValidationErrors } from './validation-issues.js';

// Fastify's own client-error codes, mapped to ours.
const fastifyCodes: Record<string, () => KeywardError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new KeywardError('payload_too_large', 'body too large', {
      detail: 'Bodies are limited to 1 MB.',
    }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new KeywardError('unsupported_media_type', 'unsupported media type', {
      detail: 'Send the body as application/json.',
    }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new KeywardError('validation_failed', 'empty body', { detail: 'The JSON body is empty.' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new KeywardError('validation_failed', 'invalid JSON', {
      // Fastify's parser refuses prototype-polluting keys with this same error and no cause:
      // `__proto__`, and `constructor` when its value has a `prototype` key.
      detail:
        'The body is not valid JSON, or it has a "__proto__" key or a "constructor" key ' +
        'holding a "prototype" key.',
    }),
};

/**
 * Log level of a handled error. The pool or Redis client logs an outage once, so the requests
 * that fail during it log at debug. Signs of an attack log at warn, other client mistakes at info.
 */
function logLevelOf(error: KeywardError): 'debug' | 'info' | 'warn' {
  if (error.code === 'service_unavailable') return 'debug';
  if (error.code === 'login_throttled' || error.details.reason === 'reused') return 'warn';
  return 'info';
}

/**
 * Installs the handlers that turn every error and unknown route into problem+json.
 * `onNotFound` is called for each request that matches no route, before its 404 is sent.
 */
export function installErrorHandling(
  app: FastifyInstance,
  onNotFound: (request: FastifyRequest, reply: FastifyReply) => void,
): void {
  app.setErrorHandler((error: FastifyError | KeywardError, request, reply) => {
    const known = toKeywardError(error, request);
    if (known) {
      request.log[logLevelOf(known)](
        { code: known.code, reason: known.details.reason, ...known.details.ids, err: known.cause },
        'request failed',
      );
      return sendProblem(reply, known);
    }
    // Server faults are logged with their stack; the client gets no message of ours or theirs.
    request.log.error({ err: error }, 'request failed with an unexpected error');
    return sendProblem(reply, new KeywardError('internal_error', 'internal error'));
  });

  app.setNotFoundHandler((request, reply) => {
    onNotFound(request, reply);
    sendProblem(
      reply,
      new KeywardError('not_found', 'route not found', {
        // The path is echoed with any key or token in it redacted, as in the logs.
        detail: `No route ${request.method} ${redactUrl(request.url.split('?')[0]!)}. See /openapi.json for the routes.`,
      }),
    );
  });
}

function toKeywardError(
  error: FastifyError | KeywardError,
  request: FastifyRequest,
): KeywardError | undefined {
  if (error instanceof KeywardError) {
    return error;
  }
  // A client that closes its connection in the middle of the body makes Node raise "aborted"
  // with ECONNRESET, the code of a lost database connection. It is the client's doing, not an
  // outage, and must not count as a 5xx.
  if (request.raw.readableAborted) {
    return new KeywardError('validation_failed', 'request aborted', {
      detail: 'The connection closed before the whole request body arrived.',
      reason: 'aborted',
    });
  }
  // PostgreSQL or Redis unreachable: the request may succeed on a retry, so 503, not 500.
  if (isBackendUnavailable(error)) {
    return new KeywardError(
      'service_unavailable',
      'backing service unavailable',
      {
        retryAfterMs: 2000,
        detail: 'A database or cache that keyward needs is unreachable. Retry in a few seconds.',
      },
      { cause: error },
    );
  }
  if (error.validation) {
    const cut = error.validation.length >= maxValidationErrors;
    return new KeywardError('validation_failed', 'invalid request', {
      detail:
        `The ${error.validationContext ?? 'request'} does not match the schema.` +
        (cut
          ? ` The check stopped after ${maxValidationErrors} errors, so there may be more.`
          : ''),
      errors: describeValidationIssues(error.validation, error.validationContext),
    });
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) {
    return mapped();
  }
  // Any other 4xx from Fastify (such as a malformed URL) is still the client's mistake.
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new KeywardError('validation_failed', 'invalid request', { detail: error.message });
  }
  return undefined;
}
