/**
 * Request counts and durations per route, kept in plain numbers and rendered in the Prometheus
 * text format on demand. prom-client validates and hashes the label set on every observation,
 * which on GET /v1/me cost more than verifying the access token (bench/http.ts). Here a route's
 * series object is found once, when the route is registered, and recording one request is two
 * map lookups and a few additions.
 */

/** Upper bounds of the duration buckets, in seconds. */
const bucketBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

const requestsName = 'keyward_http_requests_total';
const durationName = 'keyward_http_request_duration_seconds';

/** Counts and duration histogram of one route pattern and method. */
interface MethodSeries {
  byStatus: Map<number, number>;
  /** Non-cumulative counts per bucket; the last slot counts durations above every bound. */
  buckets: number[];
  sumSeconds: number;
  count: number;
}

/** The series of one route pattern, with one entry per method seen (GET and HEAD share a route). */
export class RouteSeries {
  readonly #methods = new Map<string, MethodSeries>();

  constructor(readonly route: string) {}

  /** Records one response: its method, status code and duration in milliseconds. */
  record(method: string, status: number, durationMs: number): void {
    let series = this.#methods.get(method);
    if (series === undefined) {
      series = {
        byStatus: new Map(),
        buckets: new Array<number>(bucketBounds.length + 1).fill(0),
        sumSeconds: 0,
        count: 0,
      };
      this.#methods.set(method, series);
    }
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
    const seconds = durationMs / 1000;
    let bucket = 0;
    while (bucket < bucketBounds.length && seconds > bucketBounds[bucket]!) bucket++;
    series.buckets[bucket]! += 1;
    series.sumSeconds += seconds;
    series.count += 1;
  }

  /** The series of each method seen, for rendering. */
  methods(): IterableIterator<[string, Readonly<MethodSeries>]> {
    return this.#methods.entries();
  }
}

/** Every route's series, by route pattern. */
export class HttpMetrics {
  readonly #routes = new Map<string, RouteSeries>();

  /**
   * Returns the series of a route pattern, such as `/v1/keys/:id`, creating it on first use.
   * Pass patterns only, never raw URLs, so the number of series stays bounded.
   */
  route(pattern: string): RouteSeries {
    let series = this.#routes.get(pattern);
    if (series === undefined) {
      series = new RouteSeries(pattern);
      this.#routes.set(pattern, series);
    }
    return series;
  }

  /** Renders both metric families in the Prometheus text exposition format 0.0.4. */
  render(): string {
    const requests = [
      `# HELP ${requestsName} HTTP requests by method, route pattern and status code`,
      `# TYPE ${requestsName} counter`,
    ];
    const durations = [
      `# HELP ${durationName} Time from request start to response end, in seconds`,
      `# TYPE ${durationName} histogram`,
    ];
    for (const routeSeries of this.#routes.values()) {
      for (const [method, series] of routeSeries.methods()) {
        const labels = `method="${escapeLabel(method)}",route="${escapeLabel(routeSeries.route)}"`;
        for (const [status, count] of series.byStatus) {
          requests.push(`${requestsName}{${labels},status="${status}"} ${count}`);
        }
        let cumulative = 0;
        bucketBounds.forEach((bound, i) => {
          cumulative += series.buckets[i]!;
          durations.push(`${durationName}_bucket{le="${bound}",${labels}} ${cumulative}`);
        });
        durations.push(`${durationName}_bucket{le="+Inf",${labels}} ${series.count}`);
        durations.push(`${durationName}_sum{${labels}} ${series.sumSeconds}`);
        durations.push(`${durationName}_count{${labels}} ${series.count}`);
      }
    }
    return `${requests.join('\n')}\n\n${durations.join('\n')}\n`;
  }
}

/** Escapes a label value as the text format requires: backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
