import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createAppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import { buildServer } from '../../src/http/server.js';
import type { AppServices } from '../../src/http/services.js';
import { testEnv } from './server-process.js';

/** An in-process keyward over a fresh SQLite file, for `app.inject` tests. */
export interface TestApp {
  app: FastifyInstance;
  services: AppServices;
  /** Every log line written so far, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** Builds the real server over a temporary database; `env` overrides any variable. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    ...testEnv(),
    KEYWARD_LOG_LEVEL: 'debug',
    // Tests send every request from one address; the per-client limits get their own tests.
    KEYWARD_AUTH_RATE_LIMIT: '100000/60s',
    ...env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const context = await createAppContext(config, logger);
  const app = await buildServer(context.services, logger);
  await app.ready();
  return {
    app,
    services: context.services,
    logs,
    async close() {
      await app.close();
      await context.close();
    },
  };
}

/** Signs a new user up through the API and returns the session body. */
export async function signUp(
  app: FastifyInstance,
  email = `u${Math.random().toString(36).slice(2)}@example.com`,
) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/auth/signup',
    payload: { email, password: 'correct horse battery staple' },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.body}`);
  return { ...response.json(), email, password: 'correct horse battery staple' } as {
    email: string;
    password: string;
    accessToken: string;
    refreshToken: string;
    user: { id: string; email: string };
  };
}

/** Creates an API key through the API with a user's access token and returns its plaintext. */
export async function createKey(
  app: FastifyInstance,
  accessToken: string,
  body: { name: string; ratelimit?: { limit: number; windowMs: number } },
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    headers: { authorization: `Bearer ${accessToken}` },
    payload: body,
  });
  if (response.statusCode !== 201) throw new Error(`key creation failed: ${response.body}`);
  return response.json().key;
}
