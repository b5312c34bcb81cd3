import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

// Fastify gets a logger of its own only at info and below, where it logs each request. These
// tests pin what the log holds on both sides of that line.
describe('request logs', () => {
  let test: TestApp | undefined;
  afterEach(() => test?.close());

  const lines = (app: TestApp) =>
    app.logs.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line));

  /** Spends a refresh token twice: the reuse is logged at warn. */
  async function reuseRefreshToken(app: TestApp) {
    const session = await signUp(app.app);
    const refresh = () =>
      app.app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
    expect((await refresh()).statusCode).toBe(200);
    expect((await refresh()).statusCode).toBe(401);
  }

  it('logs each request at info', async () => {
    test = await buildTestApp({ KEYWARD_LOG_LEVEL: 'info' });
    await test.app.inject({ url: '/v1/me?api_key=kw_live_plantedSecret' });

    const completed = lines(test).find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ res: { statusCode: 401 }, reqId: expect.any(String) });
    expect(completed.responseTime).toBeGreaterThanOrEqual(0);
    const incoming = lines(test).find((line) => line.msg === 'incoming request');
    expect(incoming.req).toEqual({
      method: 'GET',
      url: '/v1/me?[redacted]',
      remoteAddress: '127.0.0.1',
    });
  });

  it('logs warnings without requests at warn', async () => {
    test = await buildTestApp({ KEYWARD_LOG_LEVEL: 'warn' });
    await reuseRefreshToken(test);

    const logged = lines(test);
    expect(logged.filter((line) => /request (completed|incoming)/.test(line.msg))).toEqual([]);
    const warning = logged.find((line) => line.msg === 'request failed');
    expect(warning).toMatchObject({ level: 40, reqId: expect.any(String), reason: 'reused' });
    expect(warning.userId).toMatch(/^usr_/);
    expect(warning.sessionId).toMatch(/^ses_/);
    expect(JSON.stringify(logged)).not.toMatch(/"res":\{"(?!statusCode)/);
  });

  it('gives key lifecycle lines the request id', async () => {
    test = await buildTestApp({ KEYWARD_LOG_LEVEL: 'info' });
    const { accessToken } = await signUp(test.app);
    const request = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
      test!.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${accessToken}` },
        ...(payload ? { payload } : {}),
      });

    const created = (await request('POST', '/v1/keys', { name: 'logged' })).json();
    const successor = (await request('POST', `/v1/keys/${created.id}/rotate`)).json();
    await request('DELETE', `/v1/keys/${successor.id}`);

    const logged = lines(test).filter((line) => /^api_key\./.test(line.event ?? ''));
    expect(logged.map((line) => line.event)).toEqual([
      'api_key.created',
      'api_key.rotated',
      'api_key.revoked',
    ]);
    for (const line of logged) expect(line.reqId, line.event).toMatch(/^req-/);
  });

  it('writes a reply as its status alone', () => {
    const written: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        written.push(chunk.toString('utf8'));
        callback();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    const reply = { statusCode: 202, request: { headers: { authorization: 'Bearer planted' } } };

    logger.warn({ res: reply }, 'reply logged');

    expect(JSON.parse(written.join('')).res).toEqual({ statusCode: 202 });
  });
});
