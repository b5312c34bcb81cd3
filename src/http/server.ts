import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Settings } from 'typebox/system';
import { needsCredentials } from './authenticate.js';
import { handleClientError, handleFrameworkError, requestTimeoutMs } from './client-errors.js';
import { installErrorHandling } from './error-handler.js';
import { lazyChildLoggerFactory } from './lazy-logger.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { jwksRoutes } from './routes/jwks.js';
import { keyRoutes } from './routes/keys.js';
import { meRoutes } from './routes/me.js';
import { countParserError, countUnmatched, installMetrics } from './routes/metrics.js';
import { pageRoutes } from './routes/page.js';
import { sessionRoutes } from './routes/sessions.js';
import { installSecurityHeaders, setApiHeaders, setHtmlHeaders } from './security-headers.js';
import type { AppServices } from './services.js';
import { maxValidationErrors } from './validation-issues.js';

/** Bodies above 1 MiB are refused with 413 before they are parsed. */
const bodyLimitBytes = 1024 * 1024;

/** How often Node checks for requests past `requestTimeoutMs`, in milliseconds (Node's default is 30 000). */
const timeoutCheckIntervalMs = 5000;

/** Builds the HTTP server over the application services. It does not listen. */
export async function buildServer(services: AppServices, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    http: { connectionsCheckingInterval: timeoutCheckIntervalMs },
    // Fastify logs each request at info. Above that level it gets no logger of its own, because
    // with one it adds two listeners to every response only to time that line. Those cost 1.5
    // to 2.5 µs of CPU a request, measured on the server of bench/http.ts. The request
    // loggers, which carry the request id, write to `logger` either way, so Fastify's warnings
    // and errors about a request still reach the log. One line is lost above info: "request
    // errored", which those listeners write when the socket fails while a response is written,
    // mostly for clients that went away.
    ...(logger.isLevelEnabled('info') ? { loggerInstance: logger as FastifyBaseLogger } : {}),
    childLoggerFactory: lazyChildLoggerFactory(logger),
    bodyLimit: bodyLimitBytes,
    trustProxy: services.config.trustProxy === false ? false : services.config.trustProxy,
    // Requests that arrive on open connections while closing are served, with Connection:
    // close, rather than refused with Fastify's own 503 body. Idle connections are dropped.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    requestTimeout: requestTimeoutMs,
    clientErrorHandler: (error, socket) => {
      const status = handleClientError(error, socket);
      if (status !== undefined) countParserError(services.metrics, status);
    },
    // A URL too malformed to route skips the onRequest hooks, so the headers are set here.
    frameworkErrors: (error, request, reply) => {
      setApiHeaders(request, reply);
      countUnmatched(services.metrics, request, 400);
      handleFrameworkError(error, request, reply);
    },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // A process-wide TypeBox setting. The error handler notes in its detail when a list hit it.
  Settings.Set({ maxErrors: maxValidationErrors });
  // Every body is JSON; a text body would otherwise reach the schemas as a string.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app, (request) => countUnmatched(services.metrics, request, 404));
  // Declared up front so every request object has the same shape. Adding the property later in
  // a hook changes the hidden class per request and slows every access after it.
  app.decorateRequest('principal', undefined);

  // Metrics first, so that their onRequest hook, which starts the timing, runs first.
  installMetrics(app, services.metrics);
  installSecurityHeaders(app);
  await registerOpenApi(app);
  await app.register(healthRoutes, { services });
  await app.register(jwksRoutes, { services });
  await app.register(authRoutes, { services });
  await app.register(sessionRoutes, { services });
  await app.register(meRoutes, { services });
  await app.register(keyRoutes, { services });
  await app.register(pageRoutes);
  return app as unknown as FastifyInstance;
}

// The OpenAPI document is generated from the route schemas; /docs renders it. Swagger UI
// brings its own CSP (staticCSP) in place of the API's deny-all policy.
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'keyward',
        version: '0.1.0',
        description: 'Authentication service for HTTP APIs',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Access token or API key' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
    transform: ({ schema, url, route }) => ({
      url,
      // Routes behind the authentication hook declare both schemes, so "Try it out" in /docs
      // sends the credential entered under Authorize.
      schema: [route.onRequest].flat().some((hook) => hook && needsCredentials in hook)
        ? { ...schema, security: [{ bearer: [] }, { apiKey: [] }] }
        : schema,
    }),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiHooks: { onRequest: setHtmlHeaders },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
