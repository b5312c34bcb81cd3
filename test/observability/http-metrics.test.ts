import { describe, expect, it } from 'vitest';
import { HttpMetrics } from '../../src/observability/http-metrics.js';

describe('HttpMetrics', () => {
  it('renders counts by status and a cumulative duration histogram per method and route', () => {
    const metrics = new HttpMetrics();
    const me = metrics.route('/v1/me');
    me.record('GET', 200, 0.3);
    me.record('GET', 200, 2);
    me.record('GET', 401, 2000);
    me.record('HEAD', 200, 1);

    const lines = metrics.render().split('\n');
    const labels = 'method="GET",route="/v1/me"';
    expect(lines).toContain(`keyward_http_requests_total{${labels},status="200"} 2`);
    expect(lines).toContain(`keyward_http_requests_total{${labels},status="401"} 1`);
    expect(lines).toContain(
      `keyward_http_request_duration_seconds_bucket{le="0.0005",${labels}} 1`,
    );
    expect(lines).toContain(`keyward_http_request_duration_seconds_bucket{le="0.001",${labels}} 1`);
    expect(lines).toContain(
      `keyward_http_request_duration_seconds_bucket{le="0.0025",${labels}} 2`,
    );
    expect(lines).toContain(`keyward_http_request_duration_seconds_bucket{le="1",${labels}} 2`);
    expect(lines).toContain(`keyward_http_request_duration_seconds_bucket{le="+Inf",${labels}} 3`);
    expect(lines).toContain(`keyward_http_request_duration_seconds_sum{${labels}} 2.0023`);
    expect(lines).toContain(`keyward_http_request_duration_seconds_count{${labels}} 3`);
    // A duration equal to a bound falls in that bound's bucket, since `le` means less or equal.
    expect(lines).toContain(
      'keyward_http_request_duration_seconds_bucket{le="0.001",method="HEAD",route="/v1/me"} 1',
    );
    expect(lines.filter((line) => line.startsWith('# TYPE'))).toEqual([
      '# TYPE keyward_http_requests_total counter',
      '# TYPE keyward_http_request_duration_seconds histogram',
    ]);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const metrics = new HttpMetrics();
    metrics.route('/a\\b"c\nd').record('GET', 200, 1);

    expect(metrics.render()).toContain('route="/a\\\\b\\"c\\nd",status="200"} 1');
  });

  it('returns the same series for the same route pattern', () => {
    const metrics = new HttpMetrics();
    expect(metrics.route('/v1/keys/:id')).toBe(metrics.route('/v1/keys/:id'));
  });
});
