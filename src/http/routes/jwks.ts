import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.js';

// Five minutes bounds how long a verifier keeps a cached set that lacks a newly added key, so
// operators should publish a new key that long before it signs (docs/rotation.md).
const cacheControl = 'public, max-age=300';

/** `GET /.well-known/jwks.json`: public halves of the asymmetric signing keys (RFC 7517). */
export async function jwksRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  app.get('/.well-known/jwks.json', { schema: { tags: ['tokens'] } }, async (_request, reply) => {
    reply.header('cache-control', cacheControl);
    reply.type('application/jwk-set+json');
    return services.publicJwks();
  });
}
