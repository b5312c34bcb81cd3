import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics.js';

/**
 * The Prometheus metrics of one keyward process. Label values come from fixed sets (route
 * patterns, methods, outcome codes), never from raw URLs, key ids or user ids, so the number
 * of series stays bounded.
 */
export interface Metrics {
  /** Process metrics and the counters below; `render` adds the HTTP series to its text. */
  registry: Registry;
  /** Requests and durations per route. */
  http: HttpMetrics;
  /** Counts one authentication by credential kind (jwt, api_key) and outcome code. */
  countAuthentication(method: string, outcome: string): void;
  /** Counts one rate-limit decision by limiter and outcome (allowed, limited, degraded). */
  countRateLimitDecision(limiter: string, outcome: string): void;
  /** Counts one API-key verification by result code. */
  countKeyVerification(code: string): void;
  /** Every metric in the Prometheus text format. */
  render(): Promise<string>;
}

/** Creates the metrics in a registry of their own, with Node's default process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'keyward_' });
  const http = new HttpMetrics();
  const authentications = deferredCounter(registry, {
    name: 'keyward_authentications_total',
    help: 'Authentication outcomes by credential kind (jwt, api_key) and outcome code',
    labelNames: ['method', 'outcome'],
  });
  const rateLimitDecisions = deferredCounter(registry, {
    name: 'keyward_rate_limit_decisions_total',
    help: 'Rate-limit decisions by limiter and outcome (allowed, limited, degraded)',
    labelNames: ['limiter', 'outcome'],
  });
  const keyVerifications = deferredCounter(registry, {
    name: 'keyward_api_key_verifications_total',
    help: 'API-key verifications by result code',
    labelNames: ['code'],
  });
  return {
    registry,
    http,
    countAuthentication: authentications,
    countRateLimitDecision: rateLimitDecisions,
    countKeyVerification: (code) => keyVerifications(code, ''),
    async render() {
      return `${await registry.metrics()}\n${http.render()}`;
    },
  };
}

/**
 * Creates a counter with one or two labels and returns the function that counts one event. The
 * counts stay in plain numbers until a scrape, when the counter's `collect` hands them to
 * prom-client, because prom-client hashes the label set on every `inc` and this runs on every
 * request. Label values come from small fixed sets, so the nested maps stay small.
 */
function deferredCounter(
  registry: Registry,
  config: { name: string; help: string; labelNames: [string] | [string, string] },
): (firstValue: string, secondValue: string) => void {
  const [first, second] = config.labelNames;
  const pending = new Map<string, Map<string, number>>();
  new Counter({
    ...config,
    registers: [registry],
    collect() {
      for (const [firstValue, inner] of pending) {
        for (const [secondValue, count] of inner) {
          if (count === 0) continue;
          this.inc(
            second ? { [first]: firstValue, [second]: secondValue } : { [first]: firstValue },
            count,
          );
          inner.set(secondValue, 0);
        }
      }
    },
  });
  return (firstValue, secondValue) => {
    let inner = pending.get(firstValue);
    if (inner === undefined) {
      inner = new Map();
      pending.set(firstValue, inner);
    }
    inner.set(secondValue, (inner.get(secondValue) ?? 0) + 1);
  };
}
