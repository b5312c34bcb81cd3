import type { FastifyReply, FastifyRequest } from 'fastify';
import { KeywardError } from '../errors/index.js';
import { rateLimitHeaders } from '../ratelimit/index.js';
import type { AppServices } from './services.js';

/**
 * Builds an onRequest hook that limits requests per client address with the auth-route policy.
 * It runs before the body is read, so a client over its limit costs no body parsing.
 * `request.ip` honours X-Forwarded-For only from the proxies named in KEYWARD_TRUST_PROXY.
 */
export function limitPerClient(services: AppServices, bucket: string) {
  const policy = services.config.rateLimits.perClientOnAuth;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const decision = await services.limiter.limit(`client:${bucket}:${request.ip}`, policy);
    reply.headers({ ...rateLimitHeaders(decision, 'client') });
    if (!decision.allowed) {
      throw new KeywardError('rate_limited', 'client rate limited', {
        retryAfterMs: decision.retryAfterMs,
        detail: 'Too many requests from this address. Wait before trying again.',
      });
    }
  };
}
