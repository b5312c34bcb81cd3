import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

/** Returns the value of one sample line of the /metrics text, or undefined when it is absent. */
async function sample(test: TestApp, series: string): Promise<number | undefined> {
  const body = (await test.app.inject('/metrics')).body;
  const line = body.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const requests = (method: string, route: string, status: number) =>
  `keyward_http_requests_total{method="${method}",route="${route}",status="${status}"}`;

describe('request metrics', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  it('counts a request under its route pattern and status', async () => {
    const session = await signUp(test.app);
    const headers = { authorization: `Bearer ${session.accessToken}` };
    await test.app.inject({ url: '/v1/me', headers });
    await test.app.inject({ url: '/v1/me', headers });
    await test.app.inject({ url: '/v1/me' });

    expect(await sample(test, requests('GET', '/v1/me', 200))).toBe(2);
    expect(await sample(test, requests('GET', '/v1/me', 401))).toBe(1);
    const durations = 'keyward_http_request_duration_seconds_count{method="GET",route="/v1/me"}';
    expect(await sample(test, durations)).toBe(3);
  });

  it('counts unknown URLs as unmatched, never by their path', async () => {
    await test.app.inject('/no/such/route');

    expect(await sample(test, requests('GET', 'unmatched', 404))).toBe(1);
    const body = (await test.app.inject('/metrics')).body;
    expect(body).not.toContain('/no/such/route');
  });

  it('counts a URL too malformed to route as unmatched', async () => {
    const response = await test.app.inject('/v1/keys/%E0%A4%A');

    expect(response.statusCode).toBe(400);
    expect(await sample(test, requests('GET', 'unmatched', 400))).toBe(1);
  });

  it('counts a HEAD request once', async () => {
    await test.app.inject({ method: 'HEAD', url: '/healthz' });

    expect(await sample(test, requests('HEAD', '/healthz', 200))).toBe(1);
  });
});
