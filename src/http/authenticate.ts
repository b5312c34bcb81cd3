import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Credential, extractCredential } from '../auth/credentials.js';
import { hasScopes, type Principal } from '../auth/principal.js';
import { KeywardError } from '../errors/index.js';
import { rateLimitHeaders } from '../ratelimit/index.js';
import type { AppServices } from './services.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on protected routes. */
    principal?: Principal;
  }
}

export interface AuthenticateOptions {
  /** Scopes the principal must hold; a missing one answers 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Accept only this kind of principal; the other kind answers 403. */
  only?: Principal['type'];
}

/** Marks the hooks made by `authenticate`, so the OpenAPI document can list their security. */
export const needsCredentials: unique symbol = Symbol('keyward.needsCredentials');

/** Builds a preHandler hook that authenticates the request and checks scopes. */
export function authenticate(services: AppServices, options: AuthenticateOptions = {}) {
  const required = options.scopes ?? [];
  const hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const credential = extractCredential(
      request.headers.authorization,
      request.headers['x-api-key'],
    );
    if (!credential) {
      throw new KeywardError('missing_credentials', 'no credentials', {
        detail: 'Send Authorization: Bearer <token> or X-API-Key: <key>.',
      });
    }

    const principal = await authenticateCounted(services, credential);
    request.principal = principal;
    if (principal.type === 'api_key' && principal.rateLimit) {
      reply.headers({ ...rateLimitHeaders(principal.rateLimit, 'api-key') });
    }

    if (options.only && principal.type !== options.only) {
      throw new KeywardError('insufficient_scope', 'wrong principal type', {
        detail: `This route needs ${options.only === 'user' ? "a user's access token" : 'an API key'}.`,
      });
    }
    const missing = required.find((scope) => !hasScopes(principal, [scope]));
    if (missing) {
      throw new KeywardError('insufficient_scope', 'scope missing', {
        detail: `This route needs the scope "${missing}".`,
        scope: missing,
      });
    }
  };
  return Object.assign(hook, { [needsCredentials]: true as const });
}

async function authenticateCounted(
  services: AppServices,
  credential: Credential,
): Promise<Principal> {
  try {
    const principal = await services.authenticate(credential);
    const method = principal.type === 'user' ? 'jwt' : 'api_key';
    services.metrics.countAuthentication(method, 'success');
    return principal;
  } catch (error) {
    const outcome = error instanceof KeywardError ? error.code : 'error';
    const method = outcome === 'invalid_token' && credential.kind === 'bearer' ? 'jwt' : 'api_key';
    services.metrics.countAuthentication(method, outcome);
    throw error;
  }
}

/** Returns the authenticated principal; only valid on routes with the authentication hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    throw new Error('route has no authentication hook');
  }
  return request.principal;
}
