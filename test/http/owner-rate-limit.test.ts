import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createKey, signUp, type TestApp } from '../helpers/app.js';

describe("an API key owner's rate limit", () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ KEYWARD_RATE_LIMIT: '600/60s', KEYWARD_USER_RATE_LIMIT: '2/60s' });
  });
  afterAll(() => test.close());

  const me = (key: string) =>
    test.app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-api-key': key } });

  it('names the user policy and says another key will not help', async () => {
    const session = await signUp(test.app);
    const first = await createKey(test.app, session.accessToken, { name: 'first' });
    const second = await createKey(test.app, session.accessToken, { name: 'second' });

    const allowed = await me(first);
    await me(first);
    const limited = await me(second);

    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers.ratelimit).toBe('"user";r=1;t=30');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['ratelimit-policy']).toBe('"user";q=2;w=60');
    expect(limited.headers.ratelimit).toBe('"user";r=0;t=30');
    expect(limited.headers['retry-after']).toBe('30');
    expect(limited.json().detail).toMatch(/another of their keys is limited too/);
  });

  it('says in POST /v1/keys/verify whose limit limited', async () => {
    const verifier = await test.services.apiKeys.create(
      { type: 'operator', name: 'cli' },
      { name: 'verifier', scopes: ['keys:verify'] },
    );
    const session = await signUp(test.app);
    const key = await createKey(test.app, session.accessToken, { name: 'verified' });
    const verify = () =>
      test.app.inject({
        method: 'POST',
        url: '/v1/keys/verify',
        headers: { 'x-api-key': verifier.plaintextKey },
        payload: { key },
      });

    const first = (await verify()).json();
    await verify();
    const limited = (await verify()).json();

    expect(first.ratelimit).toMatchObject({ limit: 2, remaining: 1, scope: 'owner' });
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', ratelimit: { scope: 'owner' } });
  });

  it("keeps the api-key policy for a key's own limit", async () => {
    const session = await signUp(test.app);
    const key = await createKey(test.app, session.accessToken, {
      name: 'tight',
      ratelimit: { limit: 1, windowMs: 60_000 },
    });

    const allowed = await me(key);
    const limited = await me(key);

    expect(allowed.headers.ratelimit).toBe('"api-key";r=0;t=60');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['ratelimit-policy']).toBe('"api-key";q=1;w=60');
    expect(limited.json().detail).toMatch(/This API key is over its rate limit/);
  });
});
