import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.js';

/** Registers `GET /healthz` (the process runs) and `GET /readyz` (the store and Redis respond). */
export async function healthRoutes(app: FastifyInstance, { services }: { services: AppServices }) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const report = await services.checkReadiness();
    return reply.code(report.ready ? 200 : 503).send({
      status: report.ready ? 'ready' : 'unavailable',
      checks: report.checks,
    });
  });
}
