import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';

/** Route label of requests that match no route: a 404, or a URL too malformed to route. */
const unmatchedRoute = 'unmatched';

/**
 * `GET /metrics` in Prometheus text format, and a hook on every route that counts and times its
 * requests. The hook is added to each route as it is registered, with the route's series
 * already looked up, so a request costs no lookup of its route pattern. Requests that match
 * no route are counted by `countUnmatched`, which the 404 and malformed-URL handlers call.
 */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRoute', (route) => {
    const series = metrics.http.route(route.url);
    const record: onResponseHookHandler = (request, reply, done) => {
      series.record(request.method, reply.statusCode, reply.elapsedTime);
      done();
    };
    route.onResponse = route.onResponse ? [record, ...[route.onResponse].flat()] : record;
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.render();
  });
}

/**
 * Counts a request that matched no route, with the status it is about to get. It is called
 * just before the response is sent, so its duration leaves out the writing of the response.
 */
export function countUnmatched(
  metrics: Metrics,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
): void {
  metrics.http.route(unmatchedRoute).record(request.method, status, reply.elapsedTime);
}
