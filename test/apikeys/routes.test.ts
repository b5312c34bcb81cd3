import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/apikeys/index.js';
import { buildTestApp, signUp, type TestApp } from '../helpers/app.js';

let test: TestApp;
beforeAll(async () => {
  test = await buildTestApp({ KEYWARD_API_KEY_ENVIRONMENT: 'test' });
});
afterAll(() => test.close());

const operator = { type: 'operator', name: 'cli' } as const;

async function as(
  accessToken: string,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
) {
  return test.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${accessToken}` },
    ...(payload ? { payload } : {}),
  });
}

async function verifierKey(): Promise<string> {
  const issued = await test.services.apiKeys.create(operator, {
    name: 'verifier',
    scopes: ['keys:verify'],
  });
  return issued.plaintextKey;
}

describe('key management routes', () => {
  it('returns the plaintext only in the 201 response', async () => {
    const { accessToken } = await signUp(test.app);
    const created = await as(accessToken, 'POST', '/v1/keys', {
      name: 'ci',
      scopes: ['keys:read'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      metadata: { team: 'ci' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'ci',
      scopes: ['keys:read'],
      metadata: { team: 'ci' },
      status: 'active',
    });
    expect(body.key).toMatch(/^kw_test_/);
    expect(body.start).toBe(body.key.slice(0, 12));

    const listed = await as(accessToken, 'GET', '/v1/keys');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().keys).toHaveLength(1);
    expect(listed.body).not.toContain(body.key);
    expect(listed.body).not.toContain('hash');
    const one = await as(accessToken, 'GET', `/v1/keys/${body.id}`);
    expect(one.json().id).toBe(body.id);
  });

  it('rejects a scope the user lacks with 403', async () => {
    const { accessToken } = await signUp(test.app);
    const response = await as(accessToken, 'POST', '/v1/keys', {
      name: 'x',
      scopes: ['keys:verify'],
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('insufficient_scope');
  });

  it('returns 404 for another user’s key', async () => {
    const alice = await signUp(test.app);
    const bob = await signUp(test.app);
    const { id } = (await as(alice.accessToken, 'POST', '/v1/keys', { name: 'a' })).json();
    for (const [method, url] of [
      ['GET', `/v1/keys/${id}`],
      ['DELETE', `/v1/keys/${id}`],
      ['POST', `/v1/keys/${id}/rotate`],
      ['POST', `/v1/keys/${id}/disable`],
      ['GET', `/v1/keys/${id}/events`],
    ] as const) {
      const response = await as(bob.accessToken, method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('rotates, disables, enables, revokes and lists events', async () => {
    const { accessToken } = await signUp(test.app);
    const old = (await as(accessToken, 'POST', '/v1/keys', { name: 'r' })).json();
    const rotated = await as(accessToken, 'POST', `/v1/keys/${old.id}/rotate`, {
      gracePeriodMs: 60_000,
    });
    expect(rotated.statusCode).toBe(201);
    const next = rotated.json();
    expect(next.rotatedFrom).toBe(old.id);
    expect(next.key).not.toBe(old.key);

    expect((await as(accessToken, 'POST', `/v1/keys/${next.id}/disable`)).json().status).toBe(
      'disabled',
    );
    expect((await as(accessToken, 'POST', `/v1/keys/${next.id}/enable`)).json().status).toBe(
      'active',
    );
    expect((await as(accessToken, 'DELETE', `/v1/keys/${next.id}`)).statusCode).toBe(204);

    const me = await test.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { 'x-api-key': next.key },
    });
    expect(me.statusCode).toBe(401);
    const events = (await as(accessToken, 'GET', `/v1/keys/${next.id}/events?limit=10`)).json()
      .events;
    expect(events.map((event: { type: string }) => event.type)).toEqual([
      'revoked',
      'enabled',
      'disabled',
      'created',
    ]);
  });

  it('pages events and rejects a page size that is not a whole number', async () => {
    const { accessToken } = await signUp(test.app);
    const { id } = (await as(accessToken, 'POST', '/v1/keys', { name: 'paged' })).json();
    await as(accessToken, 'POST', `/v1/keys/${id}/disable`);
    const events = (query: string) => as(accessToken, 'GET', `/v1/keys/${id}/events${query}`);

    const newest = (await events('?limit=1')).json().events;
    const older = (await events(`?before=${newest[0].id}`)).json().events;

    expect(newest.map((event: { type: string }) => event.type)).toEqual(['disabled']);
    expect(older.map((event: { type: string }) => event.type)).toEqual(['created']);
    for (const query of ['?limit=5.5', '?limit=1e2', '?limit=0x10', '?limit=0', '?limit=201']) {
      const response = await events(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().errors, query).toEqual([
        { pointer: '/querystring/limit', message: 'must be a whole number from 1 to 200' },
      ]);
    }
    const cursor = await events('?before=1000000000000000');
    expect(cursor.json().errors[0].pointer).toBe('/querystring/before');
  });

  it('names one problem for a bad rotate body', async () => {
    const { accessToken } = await signUp(test.app);
    const created = (await as(accessToken, 'POST', '/v1/keys', { name: 'r' })).json();
    const url = `/v1/keys/${created.id}/rotate`;

    const misspelt = await as(accessToken, 'POST', url, { grace: 1 });
    const list = await test.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      payload: '[]',
    });

    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().errors).toEqual([
      {
        pointer: '/grace',
        message: 'is not a field of this request. Remove it, or check its spelling.',
      },
    ]);
    expect(list.json().errors).toEqual([{ pointer: '', message: 'must be object or null' }]);
  });

  it('authenticates GET /v1/me with a new key', async () => {
    const { accessToken, user } = await signUp(test.app);
    const { key, id } = (
      await as(accessToken, 'POST', '/v1/keys', { name: 'me', scopes: ['keys:read'] })
    ).json();
    const me = await test.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ type: 'api_key', id, userId: user.id, scopes: ['keys:read'] });
  });
});

describe('POST /v1/keys/verify', () => {
  it('returns VALID with credits and limits', async () => {
    const verifier = await verifierKey();
    const target = await test.services.apiKeys.create(operator, {
      name: 't',
      credits: { remaining: 2 },
    });
    const response = await test.app.inject({
      method: 'POST',
      url: '/v1/keys/verify',
      headers: { 'x-api-key': verifier },
      payload: { key: target.plaintextKey, cost: 2 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: target.key.id,
      userId: null,
      credits: { remaining: 0 },
    });
    expect(response.json().ratelimit.resetAt).toMatch(/T/);
    expect(response.json()).not.toHaveProperty('decision');
  });

  it('returns 200 NOT_FOUND for malformed and unknown keys', async () => {
    const verifier = await verifierKey();
    for (const key of ['nonsense', generateApiKey('test').plaintextKey]) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/v1/keys/verify',
        headers: { 'x-api-key': verifier },
        payload: { key },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ valid: false, code: 'NOT_FOUND', keyId: null });
    }
  });

  it('rejects callers without keys:verify', async () => {
    const plain = await test.services.apiKeys.create(operator, { name: 'plain' });
    const noScope = await test.app.inject({
      method: 'POST',
      url: '/v1/keys/verify',
      headers: { 'x-api-key': plain.plaintextKey },
      payload: { key: plain.plaintextKey },
    });
    expect(noScope.statusCode).toBe(403);
    const { accessToken } = await signUp(test.app);
    const asUser = await as(accessToken, 'POST', '/v1/keys/verify', { key: plain.plaintextKey });
    expect(asUser.statusCode).toBe(403);
    const anonymous = await test.app.inject({
      method: 'POST',
      url: '/v1/keys/verify',
      payload: { key: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
