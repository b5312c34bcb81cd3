import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Credential, extractCredential } from '../auth/credentials.js';
import { hasScopes, type Principal } from '../auth/principal.js';
import { KeywardError } from '../errors/index.js';
import { allowedRateLimitField } from '../ratelimit/index.js';
import type { AppServices } from './services.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on protected routes. */
    principal?: Principal;
  }
}

export interface AuthenticateOptions {
  /** Scopes the principal must hold; a missing one gets 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Principal type the route accepts; the other type gets 403. */
  only?: Principal['type'];
}

/** Marks the hooks made by `authenticate`, so the OpenAPI document can list their security. */
export const needsCredentials: unique symbol = Symbol('keyward.needsCredentials');

/**
 * Builds an onRequest hook that authenticates the request and checks scopes. It runs before
 * the body is read, so a request without valid credentials gets its 401 or 403 without its
 * body being parsed or validated. When the authenticator needs no I/O (an access token, a
 * cached API key under an in-memory limit) the hook calls `done` at once, so the request goes
 * on without waiting for a microtask. Otherwise the hook returns a promise, which Fastify
 * awaits in place of `done`.
 */
export function authenticate(services: AppServices, options: AuthenticateOptions = {}) {
  const hook = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: DoneFunction,
  ): Promise<void> | undefined => {
    // The common case first: an access token that an earlier request already verified.
    const { authorization } = request.headers;
    if (authorization !== undefined && request.headers['x-api-key'] === undefined) {
      const cached = services.authenticate.cachedBearer(authorization);
      if (cached !== undefined) {
        done(admit(services, request, reply, cached, options));
        return undefined;
      }
    }

    let credential: Credential | undefined;
    let result: Principal | Promise<Principal>;
    try {
      credential = requireCredential(request);
      result = services.authenticate(credential);
    } catch (error) {
      countFailure(services, credential, error);
      done(error as Error);
      return undefined;
    }

    if (result instanceof Promise) {
      return result.then(
        (principal) => {
          const denied = admit(services, request, reply, principal, options);
          if (denied) throw denied;
        },
        (error: unknown) => {
          countFailure(services, credential, error);
          throw error;
        },
      );
    }
    done(admit(services, request, reply, result, options));
    return undefined;
  };
  return Object.assign(hook, { [needsCredentials]: true as const });
}

type DoneFunction = (error?: Error) => void;

function requireCredential(request: FastifyRequest): Credential {
  const credential = extractCredential(request.headers.authorization, request.headers['x-api-key']);
  if (!credential) {
    throw new KeywardError('missing_credentials', 'no credentials', {
      detail: 'Send Authorization: Bearer <token> or X-API-Key: <key>.',
    });
  }
  return credential;
}

/**
 * Counts the authentication, attaches the principal and its rate-limit headers, and returns
 * the error for a principal of the wrong type or without a required scope.
 */
function admit(
  services: AppServices,
  request: FastifyRequest,
  reply: FastifyReply,
  principal: Principal,
  options: AuthenticateOptions,
): KeywardError | undefined {
  services.metrics.countAuthentication(principal.type === 'user' ? 'jwt' : 'api_key', 'success');
  request.principal = principal;
  if (principal.type === 'api_key' && principal.rateLimit) {
    // Allowed requests carry only RateLimit; the policy is advertised with every 429. Each
    // header costs the server and the client noticeable time on this hot path.
    reply.header(
      'ratelimit',
      allowedRateLimitField(principal.rateLimit, principal.rateLimitPolicy),
    );
  }

  if (options.only && principal.type !== options.only) {
    return new KeywardError('insufficient_scope', 'wrong principal type', {
      detail: `This route needs ${options.only === 'user' ? "a user's access token" : 'an API key'}.`,
    });
  }
  const missing = options.scopes?.find((scope) => !hasScopes(principal, [scope]));
  if (missing) {
    return new KeywardError('insufficient_scope', 'scope missing', {
      detail: `This route needs the scope "${missing}".`,
      scope: missing,
    });
  }
  return undefined;
}

/** Counts a failed authentication. A missing or malformed credential is not counted. */
function countFailure(
  services: AppServices,
  credential: Credential | undefined,
  error: unknown,
): void {
  if (credential === undefined) {
    return;
  }
  const outcome = error instanceof KeywardError ? error.code : 'error';
  const method = outcome === 'invalid_token' && credential.kind === 'bearer' ? 'jwt' : 'api_key';
  services.metrics.countAuthentication(method, outcome);
}

/** Returns the authenticated principal; only valid on routes with the authentication hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new Error('route has no authentication hook');
  }
  return request.principal;
}
