import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { authenticate, principalOf } from '../authenticate.js';
import { problems } from '../schemas.js';
import type { AppServices } from '../services.js';

const Principal = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('api_key')]),
  id: Type.String({ description: 'User id for a user, key id for an API key' }),
  userId: Type.Union([Type.String(), Type.Null()], { description: 'Null for a service key' }),
  scopes: Type.Array(Type.String()),
});

/** `GET /v1/me`: the principal of the request, from an access token or an API key. */
export async function meRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  const schema = { tags: ['auth'], response: { 200: Principal, ...problems(400, 401, 403, 429) } };
  // A synchronous handler: Fastify sends its return value without awaiting a promise.
  app.get('/v1/me', { onRequest: authenticate(services), schema }, (request) => {
    const principal = principalOf(request);
    return {
      type: principal.type,
      id: principal.id,
      userId: principal.userId,
      scopes: principal.scopes,
    };
  });
}
