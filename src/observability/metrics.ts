import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of one keyward process. Label values come from fixed sets (route
 * patterns, methods, outcome codes), never from raw URLs, key ids or user ids, so the number
 * of series stays bounded.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  authentications: Counter<'method' | 'outcome'>;
  rateLimitDecisions: Counter<'limiter' | 'outcome'>;
  keyVerifications: Counter<'code'>;
  /** Counts one authentication; cheaper than `authentications.inc` on the hot path. */
  countAuthentication(method: string, outcome: string): void;
  countRateLimitDecision(limiter: string, outcome: string): void;
  countKeyVerification(code: string): void;
}

/** Creates the metrics in a registry of their own, with Node's default process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'keyward_' });
  const registers = [registry];
  const counters = createCounters(registers);
  return {
    ...counters,
    countAuthentication: cachedIncrement(counters.authentications, ['method', 'outcome']),
    countRateLimitDecision: cachedIncrement(counters.rateLimitDecisions, ['limiter', 'outcome']),
    countKeyVerification: cachedIncrement(counters.keyVerifications, ['code']),
  };
}

function createCounters(registers: Registry[]) {
  return {
    registry: registers[0]!,
    httpRequests: new Counter({
      name: 'keyward_http_requests_total',
      help: 'HTTP requests by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'keyward_http_request_duration_seconds',
      help: 'Time from request start to response end, in seconds',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    authentications: new Counter({
      name: 'keyward_authentications_total',
      help: 'Authentication outcomes by credential kind (jwt, api_key, password) and outcome code',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    rateLimitDecisions: new Counter({
      name: 'keyward_rate_limit_decisions_total',
      help: 'Rate-limit decisions by limiter and outcome (allowed, limited, degraded)',
      labelNames: ['limiter', 'outcome'],
      registers,
    }),
    keyVerifications: new Counter({
      name: 'keyward_api_key_verifications_total',
      help: 'API-key verifications by result code',
      labelNames: ['code'],
      registers,
    }),
  };
}

/**
 * Returns a function that increments `counter` for label values given in `labelNames` order.
 * prom-client hashes the label object on every `inc`, so this keeps one child per combination.
 * That is safe because every label here takes values from a small fixed set.
 */
export function cachedIncrement<T extends string>(
  counter: Counter<T>,
  labelNames: readonly T[],
): (...values: string[]) => void {
  const children = new Map<string, Counter.Internal>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (!child) {
      const labels = Object.fromEntries(labelNames.map((name, i) => [name, values[i]]));
      child = counter.labels(labels as Parameters<Counter<T>['labels']>[0] & object);
      children.set(key, child);
    }
    child.inc();
  };
}
