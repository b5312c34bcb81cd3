import type { FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * `performance.now()` when the onRequest hooks began, in ms. It is 0 before they run, and
     * undefined on a URL too malformed to route.
     */
    receivedAt: number;
  }
}

/** Route label of requests that match no route: a 404, or a URL too malformed to route. */
const unmatchedRoute = 'unmatched';

/**
 * `GET /metrics` in Prometheus text format, and a hook on every route that counts and times its
 * requests. The hook is added to each route as it is registered, with the route's series
 * already looked up, so a request costs no lookup of its route pattern. Requests that match
 * no route are counted by `countUnmatched`, which the 404 and malformed-URL handlers call.
 *
 * A request is counted in onSend, when its response is handed to Node, and timed from its
 * first onRequest hook to then. An onResponse hook would also time the writing, but any
 * onResponse hook makes Fastify add two listeners to every response, which cost more than
 * the rest of the metrics (bench/http.ts). A request whose client goes away before the response
 * is written is counted all the same.
 */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = performance.now();
    done();
  });
  app.addHook('onRoute', (route) => {
    const series = metrics.http.route(route.url);
    const record: onSendHookHandler = (request, reply, payload, done) => {
      // After `reply.callNotFound()` the request belongs to the 404 handler, which counts it.
      if (!request.is404) series.record(request.method, reply.statusCode, elapsedMs(request));
      done(null, payload);
    };
    route.onSend = route.onSend ? [record, ...[route.onSend].flat()] : record;
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
export function countUnmatched(metrics: Metrics, request: FastifyRequest, status: number): void {
  metrics.http.route(unmatchedRoute).record(request.method, status, elapsedMs(request));
}

/**
 * Counts a response that Node's HTTP parser caused before any request existed, such as a 431 for
 * oversized headers. Neither the method nor the start time is known, so the method is
 * `unknown` and the duration 0.
 */
export function countParserError(metrics: Metrics, status: number): void {
  metrics.http.route(unmatchedRoute).record('unknown', status, 0);
}

/** Milliseconds since the request's first onRequest hook, or 0 when no hook ran. */
function elapsedMs(request: FastifyRequest): number {
  // A URL too malformed to route gets a request without keyward's decorations, so
  // `receivedAt` is undefined there, not 0.
  return request.receivedAt > 0 ? performance.now() - request.receivedAt : 0;
}
