import type { FastifyInstance } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../../observability/metrics.js';

interface RouteSeries {
  duration: Histogram.Internal<'method' | 'route'>;
  byStatus: Map<number, Counter.Internal>;
}

/**
 * `GET /metrics` in Prometheus text format, and the hook that counts and times every request.
 * Unmatched URLs count under the route label `unmatched`, so scanners cannot create series.
 */
export function installMetrics(app: FastifyInstance, metrics: Metrics): void {
  // prom-client hashes the label set on every call. The labelled children are kept instead, one
  // per method and route pattern, so the hot path does a map lookup.
  const series = new Map<string, RouteSeries>();
  const seriesFor = (method: string, route: string): RouteSeries => {
    const key = `${method} ${route}`;
    let entry = series.get(key);
    if (!entry) {
      entry = { duration: metrics.httpDuration.labels({ method, route }), byStatus: new Map() };
      series.set(key, entry);
    }
    return entry;
  };

  app.addHook('onResponse', (request, reply, done) => {
    const entry = seriesFor(request.method, request.routeOptions.url ?? 'unmatched');
    let counter = entry.byStatus.get(reply.statusCode);
    if (!counter) {
      counter = metrics.httpRequests.labels({
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      });
      entry.byStatus.set(reply.statusCode, counter);
    }
    counter.inc();
    entry.duration.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
