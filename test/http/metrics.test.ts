import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';
import { type ServerProcess, startServer, testEnv } from '../helpers/server-process.js';

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

  it('keeps durations finite after malformed URLs', async () => {
    await test.app.inject({ method: 'DELETE', url: '/%' });
    await test.app.inject({ method: 'DELETE', url: `/v1/keys/${'a'.repeat(200)}` });
    await test.app.inject({ method: 'DELETE', url: '/no/such/route' });

    const sum = 'keyward_http_request_duration_seconds_sum{method="DELETE",route="unmatched"}';
    const value = await sample(test, sum);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  });

  it('counts a 404 from callNotFound once, as unmatched', async () => {
    const unmatched = requests('GET', 'unmatched', 404);
    const before = (await sample(test, unmatched)) ?? 0;
    // @fastify/static calls reply.callNotFound() for a missing file under /docs/static/.
    const response = await test.app.inject('/docs/static/missing.js');

    expect(response.statusCode).toBe(404);
    expect(await sample(test, unmatched)).toBe(before + 1);
    const body = (await test.app.inject('/metrics')).body;
    const counted = body
      .split('\n')
      .filter((line) => line.startsWith('keyward_http_requests_total{method="GET",route="/docs'));
    expect(counted).toEqual([]);
  });
});

describe('request metrics of abandoned uploads', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  /** Sends the headers and a tenth of the body that Content-Length announces, then closes. */
  function abandonUpload(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
            'Content-Length: 100\r\n\r\n{"email":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
  }

  it('counts them as client errors, not 5xx', async () => {
    server = await startServer({ env: { ...testEnv(), KEYWARD_LOG_LEVEL: 'warn' } });
    const port = Number(new URL(server.url).port);
    for (let attempt = 0; attempt < 3; attempt++) await abandonUpload(port);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const body = await (await fetch(`${server.url}/metrics`)).text();
    const login = body
      .split('\n')
      .filter((line) =>
        line.startsWith('keyward_http_requests_total{method="POST",route="/v1/auth/login"'),
      );
    expect(login).toEqual([
      'keyward_http_requests_total{method="POST",route="/v1/auth/login",status="400"} 3',
    ]);
  }, 30_000);
});
