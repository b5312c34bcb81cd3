import type { FastifyInstance } from 'fastify';
import { authenticate, principalOf } from '../authenticate.js';
import type { AppServices } from '../services.js';

/** `GET /v1/me`: the principal of the request, from an access token or an API key. */
export async function meRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  app.get('/v1/me', { preHandler: authenticate(services) }, async (request) => {
    const principal = principalOf(request);
    return {
      type: principal.type,
      id: principal.id,
      userId: principal.userId,
      scopes: principal.scopes,
    };
  });
}
