import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

/** Sends raw bytes and returns the raw response text; the server closes the connection. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let response = '';
    socket.on('data', (chunk) => {
      response += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
}

describe('malformed requests', () => {
  let test: TestApp;
  let port: number;
  let accessToken: string;
  beforeAll(async () => {
    test = await buildTestApp();
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    port = (test.app.server.address() as { port: number }).port;
    accessToken = (await signUp(test.app)).accessToken;
  });
  afterAll(() => test.close());
  const auth = () => ({ authorization: `Bearer ${accessToken}` });

  it('checks credentials before the body or path', async () => {
    const cases = [
      { method: 'POST' as const, url: '/v1/keys', payload: '{"name":', json: true },
      { method: 'POST' as const, url: '/v1/keys', payload: '{"name":"k","unknown":1}', json: true },
      { method: 'POST' as const, url: '/v1/keys', payload: 'name=k', json: false },
      { method: 'GET' as const, url: '/v1/keys/verify' },
    ];
    for (const { json, ...options } of cases) {
      const response = await test.app.inject({
        ...options,
        ...(json ? { headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(response.statusCode, `${options.method} ${options.url}`).toBe(401);
      expect(response.json().code).toBe('missing_credentials');
    }
  });

  it('rejects control characters in emails with 400', async () => {
    for (const url of ['/v1/auth/signup', '/v1/auth/login']) {
      const response = await test.app.inject({
        method: 'POST',
        url,
        payload: { email: 'nul\u0000x@example.com', password: 'correct horse battery' },
      });
      expect(response.json().code, url).toBe('validation_failed');
    }
  });

  it('rejects ids that cannot be record ids with 400', async () => {
    for (const url of ['/v1/keys/key_%00abc', '/v1/keys/..%2F..%2Fetc', '/v1/auth/sessions/%00']) {
      const method = url.startsWith('/v1/auth') ? 'DELETE' : 'GET';
      const response = await test.app.inject({ method, url, headers: auth() });
      expect(response.json().code, url).toBe('validation_failed');
    }
  });

  it('rejects an events cursor beyond the safe integers with 400', async () => {
    const response = await test.app.inject({
      url: '/v1/keys/key_abc/events?before=99999999999999999999',
      headers: auth(),
    });
    expect(response.json().code).toBe('validation_failed');
  });

  it('answers a malformed URL with problem+json', async () => {
    const response = await test.app.inject({ url: '/v1/keys/%zz', headers: auth() });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('answers oversized headers with 431 problem+json and security headers', async () => {
    const response = await new Promise<{ status?: number; type?: string; nosniff?: string }>(
      (resolve, reject) => {
        const outgoing = request(
          { port, host: '127.0.0.1', path: '/v1/me', headers: { 'x-filler': 'a'.repeat(70_000) } },
          (incoming) => {
            incoming.resume();
            resolve({
              status: incoming.statusCode,
              type: incoming.headers['content-type'],
              nosniff: incoming.headers['x-content-type-options'] as string,
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      },
    );
    expect(response.status).toBe(431);
    expect(response.type).toBe('application/problem+json');
    expect(response.nosniff).toBe('nosniff');
    const metrics = await test.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(
      /keyward_http_requests_total\{method="unknown",route="unmatched",status="431"\} [1-9]/,
    );
  });

  it('answers a request the parser rejects with 400 problem+json', async () => {
    const text = await rawRequest(
      port,
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"code":"validation_failed"');
  });

  it('keeps query strings and keys out of the request log', async () => {
    await test.app.inject({ url: '/v1/me?api_key=kw_live_plantedQuerySecret' });
    await test.app.inject({ url: '/v1/keys/kw_live_plantedPathSecret', headers: auth() });
    const log = test.logs.join('');
    expect(log).not.toContain('plantedQuerySecret');
    expect(log).not.toContain('plantedPathSecret');
  });
});
