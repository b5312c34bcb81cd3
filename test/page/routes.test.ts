import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { pageContentSecurityPolicy, pageRoutes } from '../../src/http/routes/page.js';

let app: FastifyInstance | undefined;

async function serve(options: { directory?: string } = {}): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(pageRoutes, options);
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('pageRoutes', () => {
  it('serves the page with its security headers', async () => {
    const response = await (await serve()).inject({ method: 'GET', url: '/' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(pageContentSecurityPolicy);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('<script type="module" src="/assets/page.js"></script>');
  });

  it('forbids inline scripts and every connection', () => {
    expect(pageContentSecurityPolicy).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('serves the script and stylesheet with their media types', async () => {
    const server = await serve();
    const script = await server.inject({ method: 'GET', url: '/assets/page.js' });
    const style = await server.inject({ method: 'GET', url: '/assets/page.css' });

    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-security-policy']).toBe(pageContentSecurityPolicy);
    expect(style.statusCode).toBe(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for any other asset name', async () => {
    const server = await serve();

    for (const url of [
      '/assets/index.html',
      '/assets/..%2Fpage.ts',
      '/assets/constructor',
      '/assets/toString',
    ]) {
      const response = await server.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('answers 503 problem+json when the bundle is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyward-page-'));
    const response = await (await serve({ directory: empty })).inject({ method: 'GET', url: '/' });

    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(response.json().detail).toContain('npm run build:page');
  });

  it('hides its routes from the OpenAPI document', async () => {
    app = Fastify();
    const hidden: Record<string, unknown> = {};
    app.addHook('onRoute', (route) => {
      hidden[`${route.method} ${route.url}`] = (
        route.schema as { hide?: boolean } | undefined
      )?.hide;
    });
    await app.register(pageRoutes);
    await app.ready();

    expect(hidden['GET /']).toBe(true);
    expect(hidden['GET /assets/:name']).toBe(true);
  });
});
